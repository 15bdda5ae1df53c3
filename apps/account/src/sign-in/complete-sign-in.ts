import type { NavigateFunction } from 'react-router-dom';
import { saveDeviceToken, saveSession } from '../api/session';
import type { TokenPair } from '../api/types';
import { t } from '../i18n';

/** Tokens in hand: keep them (and a trusted-device token) and go where the account needs to go. */
export function completeSignIn(tokens: TokenPair, navigate: NavigateFunction, notice?: string): void {
  if (tokens.deviceToken) saveDeviceToken(tokens.deviceToken);
  saveSession(tokens);
  const remaining = tokens.recoveryCodesRemaining;
  const lowCodes = remaining !== undefined && remaining <= 3 ? t.code.recoveryLow(remaining) : undefined;
  void navigate(tokens.scope === 'enroll' ? '/setup' : '/', { replace: true, state: { notice: notice ?? lowCodes } });
}
