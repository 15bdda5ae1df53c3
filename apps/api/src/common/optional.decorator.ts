import { ValidateIf } from 'class-validator';

/**
 * A field that may be left out, but not sent as null: `@IsOptional()` lets null through to code
 * that then trips over it (a 500 instead of a 400).
 */
export const Optional = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
