import { useCallback } from 'react';
import { useTranslate } from 'react-admin';
import { errorBody, formatWait } from '../httpClient';
import { isClosedPrompt } from '../passkeys/passkeyPrompt';
import { useDescribeError } from '../passkeys/useDescribeError';

export interface StepUpProblem {
  message: string;
  /** Second-factor checks are locked: no code can be tried until retryAfter has passed. */
  locked: boolean;
  /** The challenge is dead (expired, or too many wrong codes): ask the API for a new one. */
  restart: boolean;
  /** The passkey prompt was closed: a word, not an error. */
  closed?: boolean;
}

/** Turns a step-up error into the dialog's message, and says whether to stop or start over. */
export function useStepUpErrors() {
  const translate = useTranslate();
  const describe = useDescribeError();
  return useCallback(
    (error: unknown): StepUpProblem => {
      if (isClosedPrompt(error)) return { message: describe(error), locked: false, restart: false, closed: true };
      const body = errorBody(error);
      switch (body.code) {
        case 'invalid_code': {
          const left = body.attemptsRemaining;
          if (typeof left === 'number' && left > 0) {
            return { message: translate('twofold.step_up.invalid_code', { smart_count: left }), locked: false, restart: false };
          }
          return { message: translate('twofold.step_up.invalid_code_last'), locked: false, restart: typeof left === 'number' };
        }
        case 'code_expired':
        case 'mfa_token_invalid':
          return { message: translate('twofold.step_up.expired'), locked: false, restart: true };
        case 'mfa_locked':
          return {
            message: translate('twofold.step_up.locked', { wait: formatWait(body.retryAfter ?? 60) }),
            locked: true,
            restart: false,
          };
        default:
          return { message: describe(error), locked: false, restart: false };
      }
    },
    [describe, translate],
  );
}
