import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ClientContext, CurrentPrincipal, ForRealm, MinRole, Principal, TwoFactorError } from '@app/twofactor';
import type { Response } from 'express';
import { Client } from '../common/client-context.decorator';
import { StaffActors } from '../staff/staff-actors';
import { adminError } from '../support/admin.errors';
import { CustomerDetailDto, CustomerRowDto, SupportActionDto, UnlockDto } from '../support/admin.dto';
import { CUSTOMER_LIST, CustomerDirectory } from '../support/customer-directory.service';
import { CustomerSupportService } from '../support/customer-support.service';
import { ApiErrors } from '../common/api-docs';
import { IdOr404 } from '../common/id-or-404.pipe';
import { PendingResetDto } from '../resets/resets.dto';
import { SupportResetsService } from '../resets/support-resets.service';
import { deviceError } from '../devices/devices.errors';
import { contentRange, parseListQuery } from '../common/list-query';
import { ListQueryParams } from '../common/list-query.decorator';
import { SupportStepUp } from '../staff/support-step-up';

const CustomerId = new IdOr404(() => adminError('customer_not_found'));
const FactorId = new IdOr404(() => new TwoFactorError('factor_not_found'));
const DeviceId = new IdOr404(() => deviceError('device_not_found'));

@ApiTags('Back office: customers')
@ApiBearerAuth()
@ForRealm('staff')
@MinRole('agent')
@Controller('admin/customers')
export class CustomersController {
  constructor(
    private readonly directory: CustomerDirectory,
    private readonly support: CustomerSupportService,
    private readonly actors: StaffActors,
    private readonly resets: SupportResetsService,
  ) {}

  @Get()
  @ListQueryParams({ filter: '{"q":"jane","mfaComplete":false,"primaryType":"sms","missingSecondary":true,"locked":false,"atRisk":true}', sort: '["createdAt","DESC"]' })
  @ApiOperation({ summary: 'Search and filter customers; Content-Range gives the total' })
  @ApiOkResponse({ type: [CustomerRowDto] })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    const list = parseListQuery(query, CUSTOMER_LIST);
    const { rows, total } = await this.support.search(list, await this.actors.of(principal, client));
    res.setHeader('Content-Range', contentRange('customers', list.offset, rows.length, total));
    return rows;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One customer with their factors (masked); the view is audited (customer.viewed)' })
  @ApiOkResponse({ type: CustomerDetailDto })
  async get(@Param('id', CustomerId) id: string, @CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    return this.support.view(id, await this.actors.of(principal, client));
  }

  @Delete(':id/factors/:factorId')
  @SupportStepUp()
  @ApiErrors([403, 'forbidden', 'recent_mfa_required', 'password_change_required'], [404, 'customer_not_found', 'factor_not_found'])
  @ApiOperation({ summary: 'Remove one factor for a customer who lost it (agent); the customer is told by email and signed out. Not the last active factor (403): that is a reset' })
  @ApiOkResponse({ type: CustomerDetailDto })
  async removeFactor(
    @Param('id', CustomerId) id: string,
    @Param('factorId', FactorId) factorId: string,
    @Body() body: SupportActionDto,
    @CurrentPrincipal() principal: Principal,
    @Client() client: ClientContext,
  ) {
    return this.support.removeFactor(id, factorId, { ...(await this.actors.of(principal, client)), ...body });
  }

  @Delete(':id/devices/:deviceId')
  @SupportStepUp()
  @ApiOperation({ summary: 'Forget one remembered device for a customer (agent); audited, the customer is told by email' })
  @ApiOkResponse({ type: CustomerDetailDto })
  @ApiErrors([400, 'validation_failed'], [404, 'customer_not_found', 'device_not_found'])
  async removeDevice(
    @Param('id', CustomerId) id: string,
    @Param('deviceId', DeviceId) deviceId: string,
    @Body() body: UnlockDto,
    @CurrentPrincipal() principal: Principal,
    @Client() client: ClientContext,
  ) {
    return this.support.removeDevice(id, deviceId, { ...(await this.actors.of(principal, client)), ...body });
  }

  @Post(':id/reset-mfa')
  @SupportStepUp()
  @HttpCode(202)
  @MinRole('supervisor')
  @ApiOperation({
    summary: 'Request a whole reset (supervisor): nothing changes until a second supervisor approves it at /admin/resets/:id/approve; '
      + 'it then runs after SUPPORT_RESET_DELAY_SECONDS unless the customer stops it',
  })
  @ApiResponse({ status: 202, type: PendingResetDto })
  @ApiErrors([404, 'customer_not_found'], [409, 'reset_already_pending'])
  async resetMfa(@Param('id', CustomerId) id: string, @Body() body: SupportActionDto, @CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    return this.resets.request(id, { ...(await this.actors.of(principal, client)), ...body });
  }

  @Post(':id/unlock')
  @SupportStepUp()
  @HttpCode(200)
  @ApiOperation({ summary: 'Lift a second-factor lock and clear the failure count (agent)' })
  @ApiOkResponse({ type: CustomerDetailDto })
  async unlock(@Param('id', CustomerId) id: string, @Body() body: UnlockDto, @CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    return this.support.unlock(id, { ...(await this.actors.of(principal, client)), ...body });
  }
}
