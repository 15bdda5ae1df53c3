import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { ClientContext } from '@app/twofactor';
import type { Request } from 'express';

/** The caller's IP (as Express sees it, honouring `trust proxy`) and user agent, for sessions and audit. */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientContext => {
  const request = context.switchToHttp().getRequest<Request>();
  return { ip: request.ip ?? null, userAgent: request.get('user-agent') ?? null };
});
