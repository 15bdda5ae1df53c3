import { TwoFactorError } from '../errors/two-factor.errors';
import type { DeliveryJob, DeliveryQueue } from './delivery-queue';

/**
 * Hands a prepared message to the queue once the transaction that stored its code has committed.
 * A queue that will not take it (Redis down) is the client's 503, not a 500: the code exists and a
 * resend after the cooldown can still reach them.
 */
export async function deliverAfterCommit(queue: DeliveryQueue, delivery: DeliveryJob | undefined): Promise<void> {
  if (!delivery) return;
  try {
    await queue.enqueue(delivery);
  } catch {
    throw new TwoFactorError('delivery_unavailable');
  }
}
