import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recovery codes remember which CODE_HASH_KEY hashed them. They live for months and only their hash is
 * kept, so they cannot be re-hashed under a new key: the operator retires an old key once no live code
 * still names it (`npm run cli -- keys:status`). Rows from before this column stay null.
 */
export class CodeHashKeyIds1764500400000 implements MigrationInterface {
  name = 'CodeHashKeyIds1764500400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE recovery_codes ADD COLUMN hash_key_id varchar(64)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE recovery_codes DROP COLUMN hash_key_id`);
  }
}
