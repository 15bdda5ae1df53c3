import { Logger } from '@nestjs/common';
import { EntityManager, EntitySubscriberInterface, EventSubscriber, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

type Task = () => Promise<void>;

const pending = new WeakMap<QueryRunner, Task[]>();
const logger = new Logger('AfterCommit');

/**
 * Runs `task` once the transaction `manager` belongs to has committed (at once when there is none),
 * and never if it rolls back: a notice must not announce a change that did not happen, and a slow
 * queue must not hold the transaction's locks. Tasks run in the background; failures are logged.
 */
export function afterCommit(manager: EntityManager, task: Task): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return run(task);
  pending.set(runner, [...(pending.get(runner) ?? []), task]);
}

function run(task: Task): void {
  task().catch((error: unknown) => logger.warn(`A post-commit task failed: ${error instanceof Error ? error.name : 'error'}`));
}

@EventSubscriber()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    // Also called when a nested transaction releases its savepoint: wait for the outermost commit.
    if (event.queryRunner.isTransactionActive) return;
    const tasks = pending.get(event.queryRunner) ?? [];
    pending.delete(event.queryRunner);
    tasks.forEach(run);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) pending.delete(event.queryRunner);
  }
}
