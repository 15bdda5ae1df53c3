import { PipeTransform } from '@nestjs/common';
import { isUuid } from '@app/twofactor';

/** A path id that is not a UUID names nothing: the resource's own 404, not a database error. */
export class IdOr404 implements PipeTransform<string, string> {
  constructor(private readonly notFound: () => Error) {}

  transform(value: string): string {
    if (!isUuid(value)) throw this.notFound();
    return value.toLowerCase();
  }
}
