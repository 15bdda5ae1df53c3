// The Twofold API as the benchmark drives it: the production module graph (createApp), real
// PostgreSQL from DATABASE_URL, throttling off. Reports its port, SQL count and RSS over IPC.
// BENCH_DIST=1 runs the production build (`npx nest build api`, as the Dockerfile does) rather than the
// sources compiled at load by swc, whose compiler and module copies add ~35 MB of RSS production never has.
import './support/sql-counter';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { answerParent } from './support/child-control';

type AppFactory = typeof import('../apps/api/src/app.factory');

async function main(): Promise<void> {
  answerParent();
  const factory = process.env.BENCH_DIST ? resolve('dist/apps/api/apps/api/src/app.factory.js') : '../apps/api/src/app.factory';
  const { createApp } = (await import(factory)) as AppFactory;
  const app = await createApp();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.send!({ ready: true, port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
