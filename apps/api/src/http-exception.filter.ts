import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { RequestWithPrincipal } from '@app/twofactor';
import type { Request, Response } from 'express';
import { AuditService } from './audit/audit.service';
import { isDatabaseUnavailable } from './database/database-unavailable';
import { codeForStatus, COMMON_ERRORS } from './common/common.errors';

/** Refusals of a signed-in member of staff that go on the record: someone trying what their role or state does not allow. */
const AUDITED_REFUSALS = new Set(['forbidden', 'password_change_required', 'four_eyes_required']);

/** Every error leaves as {statusCode, code, message, …}; unexpected ones are logged and become a bare 500. */
@Catch()
@Injectable()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly audit: AuditService) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const body = this.toBody(exception);
    if (body.statusCode === 429 && typeof body.retryAfter === 'number') {
      response.setHeader('Retry-After', String(body.retryAfter));
    }
    if (body.statusCode === 403 && AUDITED_REFUSALS.has(body.code)) await this.recordRefusal(host.switchToHttp().getRequest<Request & RequestWithPrincipal>(), body.code);
    response.status(body.statusCode).json(body);
  }

  /** Recorded before the answer leaves; a failure to record is logged, never turned into a 500. */
  private async recordRefusal(request: Request & RequestWithPrincipal, code: string): Promise<void> {
    const principal = request.principal;
    if (principal?.realm !== 'staff') return;
    try {
      await this.audit.record({
        type: 'authorization.refused', actor: { type: 'staff', id: principal.subjectId }, subject: { type: 'staff', id: principal.subjectId },
        ip: request.ip ?? null, data: { method: request.method, path: request.path, code, role: principal.role ?? null },
      });
    } catch (error) {
      this.logger.warn(`Could not audit a refusal: ${error instanceof Error ? error.name : 'error'}`);
    }
  }

  private toBody(exception: unknown): { statusCode: number; code: string; message: string; [key: string]: unknown } {
    // ApiError and the library's TwoFactorError already carry the contract's shape.
    if (exception instanceof HttpException && hasCode(exception.getResponse())) {
      const body = exception.getResponse() as { statusCode: number; code: string; message: string };
      // A coded server-side failure (e.g. a seed under a retired key) is logged for the operator; the
      // causes that reach here name key ids, never key material or codes.
      if (body.statusCode >= 500 && exception.cause instanceof Error) {
        this.logger.error({ code: body.code, cause: { name: exception.cause.name, message: exception.cause.message } }, 'Server-side failure');
      }
      return body as never;
    }
    if (exception instanceof ThrottlerException) {
      return { statusCode: 429, code: 'too_many_requests', message: COMMON_ERRORS.too_many_requests.message, retryAfter: 60 };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = codeForStatus(status);
      return { statusCode: status, code, message: COMMON_ERRORS[code].message };
    }
    if (isDatabaseUnavailable(exception)) {
      // A restart or failover, not a bug: the client may retry; the server rolled back any transaction.
      this.logger.warn('Database unavailable: answered 503');
      return { statusCode: 503, code: 'service_unavailable', message: COMMON_ERRORS.service_unavailable.message };
    }
    // The error's name and stack frames only: a driver error's message can carry parameter values.
    const frames = exception instanceof Error ? (exception.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')) : [];
    this.logger.error({ err: { name: exception instanceof Error ? exception.name : typeof exception, frames } }, 'Unhandled error');
    return { statusCode: 500, code: 'internal_error', message: COMMON_ERRORS.internal_error.message };
  }
}

function hasCode(body: unknown): body is { code: string } {
  return typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string';
}
