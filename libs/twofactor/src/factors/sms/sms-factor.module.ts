import { Module } from '@nestjs/common';
import { SmsFactor } from './sms.factor';

/** Codes by text message: pass to `TwoFactorModule.forRoot*({ factors })` to offer it. */
@Module({ providers: [SmsFactor] })
export class SmsFactorModule {}
