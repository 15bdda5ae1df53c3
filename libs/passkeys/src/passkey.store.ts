import { returnedRows } from '@app/twofactor';
import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';

/** A registered WebAuthn credential, as a passkey factor keeps it. */
export interface StoredCredential {
  id: string;
  factorId: string;
  /** base64url, as WebAuthn responses name it. */
  credentialId: string;
  /** The COSE public key, as the authenticator gave it at registration. */
  publicKey: Uint8Array<ArrayBuffer>;
  counter: number;
  transports: string[];
  userHandle: string;
}

export interface NewChallenge {
  factorId: string;
  /** The sign-in it belongs to; null for an enrolment or a check of the active factor. */
  mfaChallengeId: string | null;
  challenge: string;
  /** Outside a sign-in only: the user handle the creation options carried (enrolment) or the credential's (check). */
  userHandle: string | null;
  now: Date;
  expiresAt: Date;
}

export interface NewCredential {
  factorId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  userHandle: string;
  aaguid: string | null;
  now: Date;
}

interface CredentialRow {
  id: string;
  factor_id: string;
  credential_id: string;
  public_key: Uint8Array;
  counter: string | number;
  transports: string[] | null;
  user_handle: string;
}

/** The passkey module's SQL, in one place. Every method runs in the caller's transaction (the host's `tx`). */
export class PasskeyStore {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** Records a challenge, and clears the factor's spent and expired ones so they never pile up. */
  async issueChallenge(challenge: NewChallenge): Promise<void> {
    await this.txHost.tx.query(`DELETE FROM passkey_challenges WHERE factor_id = $1 AND (used_at IS NOT NULL OR expires_at <= $2)`, [challenge.factorId, challenge.now]);
    await this.txHost.tx.query(
      `INSERT INTO passkey_challenges (factor_id, mfa_challenge_id, challenge, user_handle, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [challenge.factorId, challenge.mfaChallengeId, challenge.challenge, challenge.userHandle, challenge.now, challenge.expiresAt],
    );
  }

  /**
   * Spends the challenge a response signed, if it was issued for this factor and ceremony, is unused and
   * is still live. One conditional UPDATE: of two instances answering with it at once, one wins. The
   * challenge is spent before the response is checked, so a refused response cannot be tried again.
   * Answers the enrolment's user handle ('' for a sign-in), or null when nothing was spent.
   */
  async spendChallenge(factorId: string, mfaChallengeId: string | null, challenge: string, now: Date): Promise<string | null> {
    const [row] = returnedRows<{ user_handle: string | null }>(
      await this.txHost.tx.query(
        `UPDATE passkey_challenges SET used_at = $4
          WHERE factor_id = $1 AND mfa_challenge_id IS NOT DISTINCT FROM $2::uuid AND challenge = $3 AND used_at IS NULL AND expires_at > $4
          RETURNING user_handle`,
        [factorId, mfaChallengeId, challenge, now],
      ),
    );
    return row ? (row.user_handle ?? '') : null;
  }

  /** The credentials of these factors (a subject's passkeys), oldest first. */
  async credentialsOf(factorIds: string[]): Promise<StoredCredential[]> {
    if (!factorIds.length) return [];
    const rows = (await this.txHost.tx.query(
      `SELECT id, factor_id, credential_id, public_key, counter, transports, user_handle FROM passkey_credentials
        WHERE factor_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [factorIds],
    )) as CredentialRow[];
    return rows.map(toCredential);
  }

  /** Adds a credential; false when its id is already registered (to anyone), so nothing was added. */
  async addCredential(credential: NewCredential): Promise<boolean> {
    const inserted = returnedRows(
      await this.txHost.tx.query(
        `INSERT INTO passkey_credentials (factor_id, credential_id, public_key, counter, transports, user_handle, aaguid, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
        [credential.factorId, credential.credentialId, Buffer.from(credential.publicKey), credential.counter, credential.transports, credential.userHandle, credential.aaguid, credential.now],
      ),
    );
    return inserted.length === 1;
  }

  /**
   * Moves the signature counter from the value the check read to the new one, and records the use.
   * Conditional on the old value: a concurrent use of the same credential that got there first wins.
   */
  async advanceCounter(credential: StoredCredential, newCounter: number, now: Date): Promise<boolean> {
    const updated = returnedRows(
      await this.txHost.tx.query(`UPDATE passkey_credentials SET counter = $3, last_used_at = $4 WHERE id = $1 AND counter = $2 RETURNING id`, [
        credential.id, credential.counter, newCounter, now,
      ]),
    );
    return updated.length === 1;
  }
}

function toCredential(row: CredentialRow): StoredCredential {
  return {
    id: row.id,
    factorId: row.factor_id,
    credentialId: row.credential_id,
    // A copy in a plain ArrayBuffer: pg hands back a pooled Buffer, PGlite a Uint8Array view.
    publicKey: new Uint8Array(row.public_key),
    counter: Number(row.counter),
    transports: row.transports ?? [],
    userHandle: row.user_handle,
  };
}
