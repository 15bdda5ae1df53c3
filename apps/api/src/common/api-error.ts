import { HttpException } from '@nestjs/common';

/** An error the client sees: HTTP status, a stable machine-readable code, a message for people. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super({ statusCode: status, code, message, ...extra }, status);
  }
}

export interface ErrorSpec {
  status: number;
  message: string;
}

/**
 * Turns a module's catalogue of codes into a typed factory, so each module lists its codes in one
 * place and a code cannot be thrown without a status and a message.
 */
export function errorFactory<Code extends string>(catalogue: Record<Code, ErrorSpec>) {
  return (code: Code, extra?: Record<string, unknown>) => {
    const spec = catalogue[code];
    return new ApiError(spec.status, code, spec.message, extra);
  };
}
