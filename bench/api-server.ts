// The Twofold API as the benchmark drives it: the production module graph (createApp), real
// PostgreSQL from DATABASE_URL, throttling off, no logs. Reports its port, SQL count and RSS over IPC.
import './support/sql-counter';
import type { AddressInfo } from 'node:net';
import { createApp } from '../apps/api/src/app.factory';
import { answerParent } from './support/child-control';

async function main(): Promise<void> {
  answerParent();
  const app = await createApp();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.send!({ ready: true, port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
