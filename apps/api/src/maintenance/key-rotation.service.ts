import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { FactorMaintenance, FactorReadModel, SecretBox, SecretBoxError, SecretKeyMissingError } from '@app/twofactor';
import { DataSource } from 'typeorm';
import { AppKeys } from '../config/keys';

export interface KeyStatus {
  signing: { current: string; previous: string[] };
  /** TOTP seeds by the FACTOR_ENCRYPTION_KEY id they are sealed under; `missing` lists ids no longer configured. */
  factorEncryption: { current: string; configured: string[]; sealed: Record<string, number>; missing: string[] };
  /** Live recovery codes by the CODE_HASH_KEY id that hashed them (`unrecorded`: hashed before ids were kept). */
  codeHash: { current: string; configured: string[]; liveRecoveryCodes: Record<string, number> };
}

export interface ResealReport {
  resealed: number;
  /** Seeds under a key id that is not configured: they cannot be opened until that key is back. */
  missingKey: Record<string, number>;
  unreadable: number;
}

const BATCH = 500;

/**
 * What an operator needs to rotate keys: which key ids the stored data still depends on, and re-sealing
 * TOTP seeds under the current FACTOR_ENCRYPTION_KEY so an old key can be retired (runbook: docs/operations.md).
 */
@Injectable()
export class KeyRotationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly secrets: SecretBox,
    private readonly keys: AppKeys,
  ) {}

  async status(): Promise<KeyStatus> {
    const [sealed, liveRecoveryCodes] = [await FactorReadModel.sealedSecretsByKey(this.db), await FactorReadModel.liveRecoveryCodesByKey(this.db)];
    return {
      signing: { current: this.keys.signing.kid, previous: this.keys.previousVerification.map((key) => key.kid) },
      factorEncryption: {
        current: this.keys.factorEncryption.currentKeyId,
        configured: Object.keys(this.keys.factorEncryption.keys),
        sealed,
        missing: Object.keys(sealed).filter((id) => !this.keys.factorEncryption.keys[id]),
      },
      codeHash: {
        current: this.keys.codeHash.currentKeyId,
        configured: Object.keys(this.keys.codeHash.keys),
        liveRecoveryCodes,
      },
    };
  }

  /** Re-seals every TOTP seed that is not under the current key, in batches; safe to run again and alongside the API. */
  async reseal(): Promise<ResealReport> {
    const report: ResealReport = { resealed: 0, missingKey: {}, unreadable: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await FactorMaintenance.sealedNotUnder(this.db, this.secrets.currentKeyId, after, BATCH);
      if (!rows.length) return report;
      for (const row of rows) {
        try {
          const resealed = this.secrets.reseal(row.secret_sealed, row.id);
          // Conditional on the old value: a sign-in that re-sealed the same row meanwhile wins, nothing is lost.
          await FactorMaintenance.replaceSealed(this.db, row.id, resealed, row.secret_sealed);
          report.resealed++;
        } catch (error) {
          if (error instanceof SecretKeyMissingError) report.missingKey[error.keyId] = (report.missingKey[error.keyId] ?? 0) + 1;
          else if (error instanceof SecretBoxError) report.unreadable++;
          else throw error;
        }
      }
      after = rows[rows.length - 1].id;
    }
  }
}
