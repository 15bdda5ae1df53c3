import type { Realm } from '../guards/principal';
import { returnedRows } from './sql';

/** A TypeORM DataSource or EntityManager (a transaction): whatever the host app runs the query on. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

// Realms are the app's constants, never input; checked anyway, as they are written into SQL text.
function realmLiteral(realm: Realm): string {
  if (!/^[a-z_]+$/.test(realm)) throw new Error('invalid realm');
  return `'${realm}'`;
}

/**
 * The library's tables (mfa_factors, recovery_codes, mfa_subject_locks) as a host app may read them: its
 * read model. Outside the library, SQL on these tables goes through here, so changing them changes one file.
 * The `sql` fragments are for the one trade the app makes on purpose: a paginated, filtered list of its
 * subjects that shows their factors in the same statement (the back office's customer list and dashboard);
 * `subject` names the app's id column (e.g. `c.id`).
 */
export const FactorReadModel = {
  /** Active factors of a realm, counted by role and type. */
  async activeCounts(db: Queryable, realm: Realm): Promise<{ role: string; type: string; n: number }[]> {
    return (await db.query(
      `SELECT role, type, count(*)::int AS n FROM mfa_factors WHERE realm = $1 AND status = 'active' GROUP BY role, type`,
      [realm],
    )) as { role: string; type: string; n: number }[];
  },

  /** Active factors of a realm whose channel is failing (three deliveries in a row), counted by type. */
  async failingCounts(db: Queryable, realm: Realm): Promise<{ type: string; n: number }[]> {
    return (await db.query(
      `SELECT type, count(*)::int AS n FROM mfa_factors WHERE realm = $1 AND status = 'active' AND health_status = 'failing' GROUP BY type`,
      [realm],
    )) as { type: string; n: number }[];
  },

  /** A subject's active factors that receive codes (SMS, email), with their destination when stored. */
  async activeCodeChannels(db: Queryable, realm: Realm, subjectId: string): Promise<{ id: string; type: 'sms' | 'email'; destination: string | null }[]> {
    return (await db.query(
      `SELECT id, type, destination FROM mfa_factors WHERE realm = $1 AND subject_id = $2 AND status = 'active' AND type IN ('sms', 'email')`,
      [realm, subjectId],
    )) as { id: string; type: 'sms' | 'email'; destination: string | null }[];
  },

  /** Sealed TOTP seeds counted by the id of the key that sealed them (key rotation). */
  async sealedSecretsByKey(db: Queryable): Promise<Record<string, number>> {
    const rows = (await db.query(
      `SELECT split_part(secret_sealed, '.', 2) AS key_id, count(*) AS n FROM mfa_factors WHERE secret_sealed IS NOT NULL GROUP BY 1 ORDER BY 1`,
    )) as { key_id: string; n: string }[];
    return Object.fromEntries(rows.map((row) => [row.key_id, Number(row.n)]));
  },

  /** Unused, unrevoked recovery codes counted by the id of the key that hashed them (`unrecorded` for old rows). */
  async liveRecoveryCodesByKey(db: Queryable): Promise<Record<string, number>> {
    const rows = (await db.query(
      `SELECT hash_key_id AS key_id, count(*) AS n FROM recovery_codes WHERE used_at IS NULL AND revoked_at IS NULL GROUP BY 1 ORDER BY 1`,
    )) as { key_id: string | null; n: string }[];
    return Object.fromEntries(rows.map((row) => [row.key_id ?? 'unrecorded', Number(row.n)]));
  },

  sql: {
    /** The subject's unused, unrevoked recovery codes (a number). */
    liveRecoveryCodeCount(realm: Realm, subject: string): string {
      return `(SELECT count(*)::int FROM recovery_codes r
    WHERE r.realm = ${realmLiteral(realm)} AND r.subject_id = ${subject} AND r.used_at IS NULL AND r.revoked_at IS NULL)`;
    },
    /** The types of the subject's active secondary factors, oldest first (a JSON array). */
    activeSecondaryTypes(realm: Realm, subject: string): string {
      return `(SELECT COALESCE(json_agg(f.type ORDER BY f.created_at), '[]'::json) FROM mfa_factors f
    WHERE f.realm = ${realmLiteral(realm)} AND f.status = 'active' AND f.subject_id = ${subject} AND f.role = 'secondary')`;
    },
    /** Until when the subject is locked out of second factors, or null; `now` is a placeholder such as `$2`. */
    lockedUntil(realm: Realm, subject: string, now: string): string {
      return `(SELECT l.locked_until FROM mfa_subject_locks l WHERE l.realm = ${realmLiteral(realm)} AND l.subject_id = ${subject} AND l.locked_until > ${now})`;
    },
    /** The ids of the realm's subjects locked out now (for `id IN …`); `now` is a placeholder such as `$1`. */
    lockedSubjects(realm: Realm, now: string): string {
      return `(SELECT l.subject_id FROM mfa_subject_locks l WHERE l.realm = ${realmLiteral(realm)} AND l.locked_until > ${now})`;
    },
    /** How many subjects of the realm are locked out now; `now` is a placeholder such as `$1`. */
    lockedCount(realm: Realm, now: string): string {
      return `(SELECT count(*)::int FROM mfa_subject_locks WHERE realm = ${realmLiteral(realm)} AND locked_until > ${now})`;
    },
  },
};

/**
 * The writes a host app makes to the library's tables outside the library's services: housekeeping and
 * key rotation run by the app's scheduler and CLI, and the delivery outcomes its outbox learns.
 */
export const FactorMaintenance = {
  /**
   * Deletes what can no longer be used: unconfirmed enrolments of the `unconfirmable` types (those that send
   * no code) created at or before its `before`, other pending factors, ended challenges and send-log rows
   * older than `before`.
   */
  async purgeExpired(
    db: Queryable, before: Date, unconfirmable: { types: readonly string[]; before: Date },
  ): Promise<{ pendingFactors: number; challenges: number; sendLog: number }> {
    const count = async (sql: string, at: Date, ...more: unknown[]) => returnedRows(await db.query(`${sql} RETURNING 1`, [at, ...more])).length;
    return {
      // Their codes go with them (ON DELETE CASCADE).
      pendingFactors:
        (await count(`DELETE FROM mfa_factors WHERE status = 'pending' AND type = ANY($2) AND created_at <= $1`, unconfirmable.before, unconfirmable.types)) +
        (await count(`DELETE FROM mfa_factors WHERE status = 'pending' AND created_at < $1`, before)),
      challenges: await count(`DELETE FROM mfa_challenges WHERE expires_at < $1`, before),
      sendLog: await count(`DELETE FROM mfa_send_log WHERE created_at < $1`, before),
    };
  },

  /** Up to `limit` sealed seeds not under `currentKeyId`, after the id `after` (for batches). */
  async sealedNotUnder(db: Queryable, currentKeyId: string, after: string, limit: number): Promise<{ id: string; secret_sealed: string }[]> {
    return (await db.query(
      `SELECT id, secret_sealed FROM mfa_factors
         WHERE secret_sealed IS NOT NULL AND split_part(secret_sealed, '.', 2) <> $1 AND id > $2 ORDER BY id LIMIT ${Math.trunc(limit)}`,
      [currentKeyId, after],
    )) as { id: string; secret_sealed: string }[];
  },

  /** Replaces a seed's sealing only if it is still `previous`: a sign-in that re-sealed it meanwhile wins. */
  async replaceSealed(db: Queryable, id: string, resealed: string, previous: string): Promise<void> {
    await db.query(`UPDATE mfa_factors SET secret_sealed = $2 WHERE id = $1 AND secret_sealed = $3`, [id, resealed, previous]);
  },

  /**
   * A delivery's outcome reaches its factor's health: a failure adds to the run, the `failuresUntilFailing`-th
   * in a row marks the channel failing; a delivery makes it ok again. One UPDATE, so outcomes arriving
   * together never lose a count.
   */
  async recordDeliveryOutcome(
    db: Queryable,
    outcome: { factorId: string; verdict: 'failed' | 'delivered' | 'in_flight'; status: string; at: Date },
    failuresUntilFailing: number,
  ): Promise<void> {
    await db.query(
      `UPDATE mfa_factors SET
       delivery_failures_in_row = CASE $2 WHEN 'failed' THEN LEAST(delivery_failures_in_row + 1, 1000)
                                          WHEN 'delivered' THEN 0 ELSE delivery_failures_in_row END,
       health_status = CASE WHEN $2 = 'failed' AND delivery_failures_in_row + 1 >= $5 THEN 'failing'
                            WHEN $2 = 'delivered' THEN 'ok' ELSE health_status END,
       last_delivery_status = $3, last_delivery_at = $4
     WHERE id = $1 AND type IN ('sms', 'email')`,
      [outcome.factorId, outcome.verdict, outcome.status.slice(0, 32), outcome.at, failuresUntilFailing],
    );
  },
};
