// `npm run migration:revert:all`: undoes every migration, newest first (CI checks each `down`).
import 'reflect-metadata';
import dataSource from './data-source';

async function revertAll(): Promise<void> {
  await dataSource.initialize();
  try {
    let reverted = 0;
    while ((await dataSource.query(`SELECT count(*)::int AS n FROM migrations`))[0].n > 0) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      reverted++;
    }
    console.log(`Reverted ${reverted} migrations.`);
  } finally {
    await dataSource.destroy();
  }
}

revertAll().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
