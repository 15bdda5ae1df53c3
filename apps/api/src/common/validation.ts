import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';
import { COMMON_ERRORS } from './common.errors';

function flatten(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The 400 the validation pipe answers, for a check only the running app can make (a value read from configuration). */
export function validationFailed(field: string, message: string): ApiError {
  return new ApiError(400, 'validation_failed', COMMON_ERRORS.validation_failed.message, { errors: [{ field, message }] });
}

/** Unknown fields are refused, not silently dropped: a typo in a security setting must not pass unnoticed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) =>
      new ApiError(400, 'validation_failed', COMMON_ERRORS.validation_failed.message, {
        errors: flatten(errors).map(({ field, message }) => ({ field: field || 'body', message })),
      }),
  });
}
