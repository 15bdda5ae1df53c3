import { Logger } from '@nestjs/common';
import { EntityManager, EntitySubscriberInterface, EventSubscriber, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

type Task = () => Promise<void>;
interface Pending {
  depth: number;
  task: Task;
}

const pending = new WeakMap<QueryRunner, Pending[]>();
const logger = new Logger('AfterCommit');

/** TypeORM keeps the savepoint depth on the query runner (protected in its typings). */
function depthOf(runner: QueryRunner): number {
  return (runner as unknown as { transactionDepth: number }).transactionDepth;
}

/**
 * Runs `task` once the transaction `manager` belongs to has committed (at once when there is none),
 * and never if it rolls back: a notice must not announce a change that did not happen, and a slow
 * queue must not hold the transaction's locks. Tasks run in the background; failures are logged.
 * Nested transactions (savepoints) are followed: a task of a rolled-back savepoint is dropped.
 */
export function afterCommit(manager: EntityManager, task: Task): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return run(task);
  pending.set(runner, [...(pending.get(runner) ?? []), { depth: depthOf(runner), task }]);
}

function run(task: Task): void {
  task().catch((error: unknown) => logger.warn(`A post-commit task failed: ${error instanceof Error ? error.name : 'error'}`));
}

@EventSubscriber()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    const runner = event.queryRunner;
    const tasks = pending.get(runner) ?? [];
    if (runner.isTransactionActive) {
      // A savepoint was released: its tasks now belong to the enclosing transaction.
      const depth = depthOf(runner);
      pending.set(runner, tasks.map((entry) => ({ depth: Math.min(entry.depth, depth), task: entry.task })));
      return;
    }
    pending.delete(runner);
    tasks.forEach((entry) => run(entry.task));
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const runner = event.queryRunner;
    if (!runner.isTransactionActive) return void pending.delete(runner);
    // Rolled back to a savepoint: only what was queued inside it goes.
    const depth = depthOf(runner);
    pending.set(runner, (pending.get(runner) ?? []).filter((entry) => entry.depth <= depth));
  }
}
