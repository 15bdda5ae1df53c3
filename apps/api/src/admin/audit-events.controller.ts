import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ForRealm, MinRole } from '@app/twofactor';
import type { Response } from 'express';
import { AuditEventDto, ChainVerificationDto } from '../support/admin.dto';
import { AUDIT_LIST, AuditEventsService } from './audit-events.service';
import { contentRange, parseListQuery } from '../common/list-query';
import { ListQueryParams } from '../common/list-query.decorator';

@ApiTags('Back office: audit trail')
@ApiBearerAuth()
@ForRealm('staff')
@MinRole('agent')
@Controller('admin/audit-events')
export class AuditEventsController {
  constructor(private readonly events: AuditEventsService) {}

  @Get()
  @ListQueryParams({ filter: '{"subjectId":"…","actorId":"…","type":"factor.removed","from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"}', sort: '["at","DESC"]' })
  @ApiOperation({ summary: 'Audit events, newest first by default; Content-Range gives the total' })
  @ApiOkResponse({ type: [AuditEventDto] })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const list = parseListQuery(query, AUDIT_LIST);
    const { rows, total } = await this.events.list(list);
    res.setHeader('Content-Range', contentRange('audit-events', list.offset, rows.length, total));
    return rows;
  }

  @Get('verify')
  @MinRole('supervisor')
  @ApiOperation({ summary: 'Check the hash chain from the first event to the last (supervisor)' })
  @ApiOkResponse({ type: ChainVerificationDto })
  verify() {
    return this.events.verify();
  }
}
