import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientContext, CurrentPrincipal, ForRealm, MinRole, Principal } from '@app/twofactor';
import type { Response } from 'express';
import { ListQueryParams } from '../common/list-query.decorator';
import { contentRange, parseListQuery } from '../common/list-query';
import { Client } from '../common/client-context.decorator';
import { NoStore } from '../common/no-store.decorator';
import { IdOr404 } from '../common/id-or-404.pipe';
import { CreatedStaffDto, CreateStaffDto, StaffRecordDto, UpdateStaffDto } from './staff.dto';
import { STAFF_LIST, StaffService } from './staff.service';
import { StaffActors } from './staff-actors';
import { staffError } from './staff.errors';
import { SupportStepUp } from './support-step-up';

const StaffId = new IdOr404(() => staffError('staff_not_found'));

@ApiTags('Back office: staff accounts')
@ApiBearerAuth()
@ForRealm('staff')
@MinRole('admin')
@Controller('admin/staff')
export class StaffController {
  constructor(
    private readonly staff: StaffService,
    private readonly actors: StaffActors,
  ) {}

  @Get()
  @ListQueryParams({ filter: '{"q": "sam", "role": "agent", "disabled": false}', sort: '["email","ASC"]' })
  @ApiOperation({ summary: 'List staff (admin); Content-Range gives the total' })
  @ApiOkResponse({ type: [StaffRecordDto] })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const list = parseListQuery(query, STAFF_LIST);
    const { rows, total } = await this.staff.list(list);
    res.setHeader('Content-Range', contentRange('staff', list.offset, rows.length, total));
    return rows;
  }

  @Post()
  @SupportStepUp()
  @NoStore()
  @ApiOperation({ summary: 'Create a member of staff (admin); answers a one-time setup password' })
  @ApiCreatedResponse({ type: CreatedStaffDto })
  async create(@Body() body: CreateStaffDto, @CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    return this.staff.create(body, await this.actors.of(principal, client));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One member of staff (admin)' })
  @ApiOkResponse({ type: StaffRecordDto })
  get(@Param('id', StaffId) id: string) {
    return this.staff.get(id);
  }

  @Post(':id/setup-password')
  @SupportStepUp()
  @NoStore()
  @ApiOperation({ summary: 'A new one-time setup password (admin), when the old one expired (24 h) or was lost; their logins end' })
  @ApiCreatedResponse({ type: CreatedStaffDto })
  async reissueSetupPassword(@Param('id', StaffId) id: string, @CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    return this.staff.reissueSetupPassword(id, await this.actors.of(principal, client));
  }

  @Patch(':id')
  @SupportStepUp()
  @ApiOperation({ summary: 'Change name, email, role or disabled (admin); an admin cannot disable or demote themself' })
  @ApiOkResponse({ type: StaffRecordDto })
  async update(@Param('id', StaffId) id: string, @Body() body: UpdateStaffDto, @CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    return this.staff.update(id, body, await this.actors.of(principal, client));
  }
}
