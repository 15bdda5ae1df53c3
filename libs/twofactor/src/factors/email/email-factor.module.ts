import { Module } from '@nestjs/common';
import { EmailFactor } from './email.factor';

/** Codes by email (a backup only): pass to `TwoFactorModule.forRoot*({ factors })` to offer it. */
@Module({ providers: [EmailFactor] })
export class EmailFactorModule {}
