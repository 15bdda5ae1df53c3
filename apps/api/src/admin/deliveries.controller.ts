import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientContext, CurrentPrincipal, ForRealm, MinRole, Principal } from '@app/twofactor';
import type { Response } from 'express';
import { Client } from '../common/client-context.decorator';
import { IdOr404 } from '../common/id-or-404.pipe';
import { StaffActors } from '../staff/staff-actors';
import { adminError } from '../support/admin.errors';
import { CustomerDirectory } from '../support/customer-directory.service';
import { DeliveryDto, ResendDeliveryDto } from './deliveries.dto';
import { DELIVERY_LIST, DeliveriesService } from './deliveries.service';
import { contentRange, parseListQuery } from '../common/list-query';
import { ListQueryParams } from '../common/list-query.decorator';
import { SupportStepUp } from '../staff/support-step-up';

const CustomerId = new IdOr404(() => adminError('customer_not_found'));
const FILTER_EXAMPLE = '{"status":"failed","channel":"email","kind":"notice"}';
const ALL_FILTER_EXAMPLE = '{"status":"failed","customerId":"3f1c…"}';

@ApiTags('Back office: deliveries')
@ApiBearerAuth()
@ForRealm('staff')
@MinRole('agent')
@Controller('admin')
export class DeliveriesController {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly directory: CustomerDirectory,
    private readonly actors: StaffActors,
  ) {}

  @Get('customers/:id/deliveries')
  @ListQueryParams({ filter: FILTER_EXAMPLE, sort: '["createdAt","DESC"]' })
  @ApiOperation({ summary: "A customer's delivery log, newest first: masked recipient, status and failure reason, never the content" })
  @ApiOkResponse({ type: [DeliveryDto] })
  @ApiNotFoundResponse({ description: 'customer_not_found' })
  async forCustomer(@Param('id', CustomerId) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const list = parseListQuery(query, DELIVERY_LIST);
    await this.directory.assertExists(id);
    const { rows, total } = await this.deliveries.forCustomer(id, list);
    res.setHeader('Content-Range', contentRange('deliveries', list.offset, rows.length, total));
    return rows;
  }

  @Get('deliveries')
  @ListQueryParams({ filter: ALL_FILTER_EXAMPLE, sort: '["createdAt","DESC"]' })
  @ApiOperation({ summary: "Customers' deliveries across accounts (the dashboard lists the failed ones: the dead letters)" })
  @ApiOkResponse({ type: [DeliveryDto] })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const list = parseListQuery(query, DELIVERY_LIST);
    const { rows, total } = await this.deliveries.all(list);
    res.setHeader('Content-Range', contentRange('deliveries', list.offset, rows.length, total));
    return rows;
  }

  @Post('deliveries/:id/resend')
  @SupportStepUp()
  @HttpCode(201)
  @ApiOperation({ summary: 'Re-send a failed notice as a new delivery (agent; audited as delivery.resent). Codes are never re-sent by staff' })
  @ApiCreatedResponse({ type: DeliveryDto, description: 'The new delivery' })
  @ApiNotFoundResponse({ description: 'delivery_not_found' })
  @ApiConflictResponse({ description: 'delivery_not_resendable (a code, or not failed) or delivery_already_resent' })
  async resend(@Param('id', new IdOr404(() => adminError('delivery_not_found'))) id: string, @Body() body: ResendDeliveryDto, @CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    return this.deliveries.resend(id, body.reason, await this.actors.of(principal, client));
  }
}
