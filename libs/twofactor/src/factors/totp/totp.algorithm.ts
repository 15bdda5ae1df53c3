import * as QRCode from 'qrcode';
import { generate as generateToken, ScureBase32Plugin, verify as verifyToken, type HashAlgorithm } from 'otplib';
import { RandomSource } from '../../crypto/random-source';
import { NodeCryptoPlugin } from './node-crypto.plugin';

export type TotpHashAlgorithm = HashAlgorithm; // 'sha1' | 'sha256' | 'sha512'

export interface TotpOptions {
  /** HMAC hash; authenticator apps widely support only SHA-1, the RFC 6238 default. */
  algorithm?: TotpHashAlgorithm;
  digits?: number;
  /** Seconds per time step. */
  period?: number;
  /** Steps accepted either side of the current one, for clock drift and typing time. */
  window?: number;
}

export type TotpVerification = { valid: true; timeStep: number } | { valid: false };

const SECRET_BYTES = 20; // 160 bits, the HMAC-SHA-1 block-friendly size RFC 4226 recommends

/**
 * RFC 6238 TOTP over otplib: secret generation, provisioning URL and QR code, verification.
 * Time and randomness come from the caller, never from the system, so tests are deterministic.
 */
export class TotpAlgorithm {
  private readonly base32 = new ScureBase32Plugin();
  private readonly crypto = new NodeCryptoPlugin();
  private readonly algorithm: TotpHashAlgorithm;
  private readonly digits: number;
  private readonly period: number;
  private readonly window: number;

  constructor(
    private readonly random: RandomSource,
    options: TotpOptions = {},
  ) {
    this.algorithm = options.algorithm ?? 'sha1';
    this.digits = options.digits ?? 6;
    this.period = options.period ?? 30;
    this.window = options.window ?? 1;
  }

  /** A new base32 secret (no padding, as authenticator apps expect) from the injected random source. */
  generateSecret(): string {
    return this.base32.encode(this.random.bytes(SECRET_BYTES));
  }

  /**
   * The Key URI an authenticator app scans. The issuer appears both as the label prefix and as the
   * `issuer` parameter, which apps use to tell accounts with the same name apart.
   */
  otpauthUrl({ issuer, accountName, secret }: { issuer: string; accountName: string; secret: string }): string {
    const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
    const params = [
      `secret=${secret}`,
      `issuer=${encodeURIComponent(issuer)}`,
      `algorithm=${this.algorithm.toUpperCase()}`,
      `digits=${this.digits}`,
      `period=${this.period}`,
    ];
    return `otpauth://totp/${label}?${params.join('&')}`;
  }

  /** The provisioning URL as an SVG QR code, rendered on the server so the secret never goes to a third-party QR service. */
  qrSvg(otpauthUrl: string): Promise<string> {
    return QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }

  /**
   * Checks `token` at time `at`, accepting `window` steps either side. Steps at or before
   * `afterTimeStep` (the last one this factor accepted) are refused, so a code cannot be used twice.
   * Returns the matched time step: the caller stores it, to pass as `afterTimeStep` next time.
   */
  async verify({
    secret,
    token,
    at,
    afterTimeStep,
  }: {
    secret: string;
    token: string;
    at: Date;
    afterTimeStep?: number;
  }): Promise<TotpVerification> {
    const normalised = token.replace(/\s/g, '');
    // otplib throws on a wrong-length token; for us it is simply a wrong code.
    if (!new RegExp(`^\\d{${this.digits}}$`).test(normalised)) return { valid: false };
    let result: Awaited<ReturnType<typeof verifyToken>>;
    try {
      result = await verifyToken({
        ...this.tokenOptions(secret, at),
        token: normalised,
        epochTolerance: this.window * this.period, // otplib takes the tolerance in seconds, not steps
        afterTimeStep,
      });
    } catch {
      // otplib throws when afterTimeStep lies beyond the window (a clock behind another instance's):
      // no code can pass then, which is a wrong code, not a server error.
      return { valid: false };
    }
    // otplib's result type also covers HOTP, whose matches carry no time step.
    if (!result.valid || !('timeStep' in result)) return { valid: false };
    return { valid: true, timeStep: result.timeStep };
  }

  /** The code for `secret` at `at` (for tests and tooling; the service never shows a TOTP code). */
  generate(secret: string, at: Date): Promise<string> {
    return generateToken(this.tokenOptions(secret, at));
  }

  /** The time step that contains `at`. */
  timeStepAt(at: Date): number {
    return Math.floor(at.getTime() / 1000 / this.period);
  }

  private tokenOptions(secret: string, at: Date) {
    return {
      secret,
      crypto: this.crypto,
      base32: this.base32,
      algorithm: this.algorithm,
      digits: this.digits,
      period: this.period,
      // Always pass the time: otplib would otherwise read the system clock.
      epoch: Math.floor(at.getTime() / 1000),
    };
  }
}
