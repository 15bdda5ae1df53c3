import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientContext, CurrentPrincipal, ForRealm, MinRole, Principal } from '@app/twofactor';
import type { Response } from 'express';
import { UnlockDto } from '../support/admin.dto';
import { contentRange, parseListQuery } from '../common/list-query';
import { ListQueryParams } from '../common/list-query.decorator';
import { SupportStepUp } from '../staff/support-step-up';
import { Client } from '../common/client-context.decorator';
import { ApiErrors } from '../common/api-docs';
import { IdOr404 } from '../common/id-or-404.pipe';
import { StaffActors } from '../staff/staff-actors';
import { resetError } from './resets.errors';
import { PendingResetDto } from './resets.dto';
import { RESET_LIST, SupportResetsService } from './support-resets.service';

const ResetId = new IdOr404(() => resetError('reset_not_found'));

@ApiTags('Back office: support resets')
@ApiBearerAuth()
@ForRealm('staff')
@MinRole('agent')
@Controller('admin/resets')
export class ResetsController {
  constructor(
    private readonly resets: SupportResetsService,
    private readonly actors: StaffActors,
  ) {}

  @Get()
  @ListQueryParams({ filter: '{"status":"awaiting_approval","customerId":"…"}', sort: '["createdAt","DESC"]' })
  @ApiOperation({ summary: 'Whole-reset requests: awaiting approval, scheduled, executed, cancelled, expired' })
  @ApiOkResponse({ type: [PendingResetDto] })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const list = parseListQuery(query, RESET_LIST);
    const { rows, total } = await this.resets.list(list);
    res.setHeader('Content-Range', contentRange('resets', list.offset, rows.length, total));
    return rows;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One reset request' })
  @ApiOkResponse({ type: PendingResetDto })
  @ApiErrors([404, 'reset_not_found'])
  get(@Param('id', ResetId) id: string) {
    return this.resets.get(id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @MinRole('supervisor')
  @SupportStepUp()
  @ApiOperation({ summary: 'Approve a reset another supervisor requested: scheduled after SUPPORT_RESET_DELAY_SECONDS, customer told on every channel' })
  @ApiOkResponse({ type: PendingResetDto })
  @ApiErrors([403, 'four_eyes_required', 'forbidden'], [404, 'reset_not_found'], [409, 'reset_not_awaiting_approval', 'reset_expired'])
  async approve(@Param('id', ResetId) id: string, @CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    return this.resets.approve(id, await this.actors.of(principal, client));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @MinRole('supervisor')
  @SupportStepUp()
  @ApiOperation({ summary: 'Stop a reset awaiting approval or scheduled, with a reason' })
  @ApiOkResponse({ type: PendingResetDto })
  @ApiErrors([400, 'validation_failed'], [404, 'reset_not_found'], [409, 'reset_not_cancellable'])
  async cancel(@Param('id', ResetId) id: string, @Body() body: UnlockDto, @CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    return this.resets.cancelByStaff(id, { ...(await this.actors.of(principal, client)), reason: body.reason });
  }
}
