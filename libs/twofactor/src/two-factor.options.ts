import type { FactorPolicy } from './policy/factor-policy';
import type { Realm } from './guards/principal';

/** Everything the library is configured with; the application builds it from its own config. */
export class TwoFactorOptions {
  /** Shown in authenticator apps: the otpauth label prefix and `issuer` parameter. */
  issuer: string;
  policies: Record<Realm, FactorPolicy>;
  encryptionKeys: { currentKeyId: string; keys: Record<string, Buffer> };
  codeHashKey: Buffer;
  phoneDefaultRegion: string;
  otpTtlSeconds: number;
  otpResendSeconds: number;
  otpSendsPerHour: number;
  /** Wrong tries that kill one sent code. */
  otpMaxAttempts: number;
  mfaTokenTtlSeconds: number;
  /** Wrong codes that kill one mfaToken. */
  mfaTokenMaxFailures: number;
  lockThreshold: number;
  lockSeconds: number;
  lockMaxSeconds: number;
  recentSecondFactorSeconds: number;
}
