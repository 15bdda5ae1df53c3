import { DataSource } from 'typeorm';
import { afterCommit } from '../src/database/after-commit';
import { startTestApp, TestContext } from './support/test-app';

describe('afterCommit', () => {
  let ctx: TestContext;
  let db: DataSource;

  beforeAll(async () => {
    ctx = await startTestApp();
    db = ctx.app.get(DataSource);
  });
  afterAll(() => ctx?.close());

  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('runs tasks after the commit, not before', async () => {
    const ran: string[] = [];
    await db.transaction(async (manager) => {
      afterCommit(manager, async () => void ran.push('notice'));
      await settle();
      expect(ran).toEqual([]);
    });
    await settle();
    expect(ran).toEqual(['notice']);
  });

  it('drops the tasks of a rolled-back transaction', async () => {
    const ran: string[] = [];
    await expect(
      db.transaction(async (manager) => {
        afterCommit(manager, async () => void ran.push('notice'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await settle();
    expect(ran).toEqual([]);
  });

  it('drops only what a rolled-back savepoint queued, and keeps a released one\'s for the outer commit', async () => {
    const ran: string[] = [];
    await db.transaction(async (manager) => {
      afterCommit(manager, async () => void ran.push('outer'));
      await manager.transaction(async (inner) => afterCommit(inner, async () => void ran.push('released')));
      await expect(
        manager.transaction(async (inner) => {
          afterCommit(inner, async () => void ran.push('rolled back'));
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      await settle();
      expect(ran).toEqual([]);
    });
    await settle();
    expect(ran.sort()).toEqual(['outer', 'released']);
  });
});
