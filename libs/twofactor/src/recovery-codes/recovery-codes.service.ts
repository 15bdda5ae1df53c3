import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '../clock/clock';
import { CodeHasher } from '../crypto/code-hasher';
import { RandomSource } from '../crypto/random-source';
import type { Realm } from '../guards/principal';
import { RecoveryCodeEntity } from '../persistence/recovery-code.entity';
import { returnedRows } from '../persistence/sql';
import { generateRecoveryCodes, normaliseRecoveryCode } from './recovery-code.format';

export interface RecoveryCodeStatus {
  remaining: number;
  total: number;
  generatedAt: Date | null;
}

/** One-time recovery codes: kept as keyed hashes salted by subject, marked used or revoked, never deleted. */
export class RecoveryCodes {
  constructor(
    private readonly hasher: CodeHasher,
    private readonly random: RandomSource,
    private readonly clock: Clock,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  /** A new set; every earlier unused code stops working in the same transaction. */
  async regenerate(realm: Realm, subjectId: string, count: number): Promise<{ codes: string[]; generatedAt: Date }> {
    const generatedAt = this.clock.now();
    await this.revokeAll(realm, subjectId);
    const codes = generateRecoveryCodes(this.random, count);
    await this.txHost.tx.insert(
      RecoveryCodeEntity,
      codes.map((code) => ({
        realm, subjectId, codeHash: this.hasher.hash(normaliseRecoveryCode(code)!, salt(realm, subjectId)), hashKeyId: this.hasher.currentKeyId, generatedAt,
      })),
    );
    return { codes, generatedAt };
  }

  /**
   * Uses a code once. One conditional UPDATE, so the same code sent twice at once succeeds once.
   * The code is looked up under every configured hash key, so codes issued before a CODE_HASH_KEY
   * rotation keep working as long as the old key stays configured.
   */
  async consume(realm: Realm, subjectId: string, input: string): Promise<boolean> {
    const canonical = normaliseRecoveryCode(input);
    if (!canonical) return false;
    const used = returnedRows(
      await this.txHost.tx.query(
        `UPDATE recovery_codes SET used_at = $4
         WHERE id = (SELECT id FROM recovery_codes WHERE realm = $1 AND subject_id = $2 AND code_hash = ANY($3::bpchar[])
                     AND used_at IS NULL AND revoked_at IS NULL LIMIT 1)
           AND used_at IS NULL AND revoked_at IS NULL
         RETURNING id`,
        [realm, subjectId, this.hasher.hashes(canonical, salt(realm, subjectId)), this.clock.now()],
      ),
    );
    return used.length === 1;
  }

  async status(realm: Realm, subjectId: string): Promise<RecoveryCodeStatus> {
    const [row] = returnedRows<{ remaining: string; total: string; generated_at: Date | null }>(
      await this.txHost.tx.query(
        `SELECT count(*) FILTER (WHERE used_at IS NULL) AS remaining, count(*) AS total, max(generated_at) AS generated_at
         FROM recovery_codes WHERE realm = $1 AND subject_id = $2 AND revoked_at IS NULL`,
        [realm, subjectId],
      ),
    );
    return { remaining: Number(row.remaining), total: Number(row.total), generatedAt: row.generated_at ? new Date(row.generated_at) : null };
  }

  async revokeAll(realm: Realm, subjectId: string): Promise<void> {
    await this.txHost.tx.query(
      // Used codes are retired with the set too, so status() counts only the current generation.
      `UPDATE recovery_codes SET revoked_at = $3 WHERE realm = $1 AND subject_id = $2 AND revoked_at IS NULL`,
      [realm, subjectId, this.clock.now()],
    );
  }

  /** What a subject typed, hashed under every configured key (as consume() looks it up), or null when it cannot be a recovery code. */
  hashesOf(realm: Realm, subjectId: string, input: string): string[] | null {
    const canonical = normaliseRecoveryCode(input);
    return canonical ? this.hasher.hashes(canonical, salt(realm, subjectId)) : null;
  }
}

// Salted by realm and subject, so one account's code hash means nothing for another.
function salt(realm: Realm, subjectId: string): string {
  return `${realm}:${subjectId}`;
}
