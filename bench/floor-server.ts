// The floor: bare node:http + pg doing a second-factor verify and a password step, next to Twofold in
// the bench. FLOOR_KIND=contract (the default) keeps every duty the contract gives a verify
// (./floor/contract-verify.ts); FLOOR_KIND=minimal does the least any verify must (./floor/minimal-verify.ts).
// The password step (both): read the account (1 statement), argon2id, insert the challenge (1).
import './support/sql-counter';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify as verifyPassword } from '@node-rs/argon2';
import { answerParent } from './support/child-control';
import { Answer, opaqueToken, prepared, sha256, VerifyBody } from './floor/kit';
import { contractVerify, prepareContractFloor } from './floor/contract-verify';
import { minimalVerify } from './floor/minimal-verify';

async function login(body: { email: string; password: string }): Promise<Answer> {
  const { rows } = await prepared('floor_login_read', `SELECT id, password_hash FROM customers WHERE email = $1`, [body.email]);
  if (!rows.length || !(await verifyPassword(rows[0].password_hash, body.password))) return [401, { code: 'invalid_credentials' }];
  const mfaToken = opaqueToken('mfa');
  const now = new Date();
  await prepared(
    'floor_login_challenge',
    `INSERT INTO mfa_challenges (realm, subject_id, token_hash, created_at, expires_at, auth_time) VALUES ('customer', $1, $2, $3, $4, $3)`,
    [rows[0].id, sha256(mfaToken), now, new Date(now.getTime() + 300_000)],
  );
  return [200, { status: 'mfa_required', mfaToken }];
}

async function main(): Promise<void> {
  const notices = process.env.FLOOR_KIND === 'minimal' ? null : await prepareContractFloor();
  const verify = (body: VerifyBody, req: IncomingMessage) => (notices ? contractVerify(body, req, notices) : minimalVerify(body));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    const [status, answer] = req.url === '/auth/login' ? await login(body) : req.url === '/auth/mfa/verify' ? await verify(body, req) : ([404, {}] as const);
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(answer));
  }

  answerParent();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(error);
      res.writeHead(500).end();
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!({ ready: true, port: (server.address() as AddressInfo).port }));
}

void main();
