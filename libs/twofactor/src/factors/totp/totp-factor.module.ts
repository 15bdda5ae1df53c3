import { Module } from '@nestjs/common';
import { TotpFactor } from './totp.factor';

/** Authenticator apps (TOTP): pass to `TwoFactorModule.forRoot*({ factors })` to offer it. */
@Module({ providers: [TotpFactor] })
export class TotpFactorModule {}
