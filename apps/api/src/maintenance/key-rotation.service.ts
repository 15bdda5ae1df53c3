import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SecretBox, SecretBoxError, SecretKeyMissingError } from '@app/twofactor';
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
    const sealedRows: { key_id: string; n: string }[] = await this.db.query(
      `SELECT split_part(secret_sealed, '.', 2) AS key_id, count(*) AS n FROM mfa_factors WHERE secret_sealed IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    const codeRows: { key_id: string | null; n: string }[] = await this.db.query(
      `SELECT hash_key_id AS key_id, count(*) AS n FROM recovery_codes WHERE used_at IS NULL AND revoked_at IS NULL GROUP BY 1 ORDER BY 1`,
    );
    const sealed = Object.fromEntries(sealedRows.map((row) => [row.key_id, Number(row.n)]));
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
        liveRecoveryCodes: Object.fromEntries(codeRows.map((row) => [row.key_id ?? 'unrecorded', Number(row.n)])),
      },
    };
  }

  /** Re-seals every TOTP seed that is not under the current key, in batches; safe to run again and alongside the API. */
  async reseal(): Promise<ResealReport> {
    const report: ResealReport = { resealed: 0, missingKey: {}, unreadable: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { id: string; secret_sealed: string }[] = await this.db.query(
        `SELECT id, secret_sealed FROM mfa_factors
         WHERE secret_sealed IS NOT NULL AND split_part(secret_sealed, '.', 2) <> $1 AND id > $2 ORDER BY id LIMIT ${BATCH}`,
        [this.secrets.currentKeyId, after],
      );
      if (!rows.length) return report;
      for (const row of rows) {
        try {
          const resealed = this.secrets.reseal(row.secret_sealed, row.id);
          // Conditional on the old value: a sign-in that re-sealed the same row meanwhile wins, nothing is lost.
          await this.db.query(`UPDATE mfa_factors SET secret_sealed = $2 WHERE id = $1 AND secret_sealed = $3`, [row.id, resealed, row.secret_sealed]);
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
