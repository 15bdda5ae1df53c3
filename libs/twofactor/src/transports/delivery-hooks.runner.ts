import { DeliveryError, describeDeliveryFailure } from './delivery-error';
import { DeliveryLogger } from './delivery-logger';
import { asError, DeliveryHooks, DeliveryJob, describeJob } from './delivery-queue';
import { DeliveryResult } from './outgoing-message';

/**
 * Calls the hooks and logs the outcome. A hook that throws is logged, never rethrown: the message
 * has already gone out (or failed for good), and a retry would send the code again.
 */
export class DeliveryHooksRunner {
  constructor(
    private readonly hooks: DeliveryHooks,
    private readonly logger: DeliveryLogger,
  ) {}

  async delivered(result: DeliveryResult, job: DeliveryJob): Promise<void> {
    if (!this.hooks.onDelivered) return;
    try {
      await this.hooks.onDelivered(result, job);
    } catch (error) {
      this.logger.warn(`onDelivered hook failed for ${describeJob(job)}: ${asError(error).message}`);
    }
  }

  async failed(error: unknown, job: DeliveryJob, attempts: number): Promise<void> {
    this.logger.warn(`${describeJob(job)} failed after ${attempts} attempt(s): ${describeDeliveryFailure(error)}`);
    if (!this.hooks.onFailed) return;
    try {
      await this.hooks.onFailed(error instanceof DeliveryError ? error : asError(error), job);
    } catch (hookError) {
      this.logger.warn(`onFailed hook failed for ${describeJob(job)}: ${asError(hookError).message}`);
    }
  }
}
