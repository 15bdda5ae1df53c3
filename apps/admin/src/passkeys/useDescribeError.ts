import { useCallback } from 'react';
import { useTranslate } from 'react-admin';
import { describeApiError } from '../httpClient';
import { PasskeyPromptError } from './passkeyPrompt';

/** describeApiError, plus the browser's own passkey refusals in the console's words. */
export function useDescribeError() {
  const translate = useTranslate();
  return useCallback(
    (error: unknown): string =>
      error instanceof PasskeyPromptError ? translate(`twofold.passkey.problem.${error.problem}`) : describeApiError(error),
    [translate],
  );
}
