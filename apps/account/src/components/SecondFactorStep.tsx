import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Box, Button, Checkbox, FormControlLabel, List, ListItem, ListItemButton, ListItemIcon, ListItemText, Stack, TextField, Typography } from '@mui/material';
import { accountApi, type SecondFactorAnswer } from '../api/account-api';
import type { ChallengeAnswer, FactorSummary, MfaRequired } from '../api/types';
import { t } from '../i18n';
import { PasskeyPromptError, signWithPasskey } from '../passkeys/passkey-prompt';
import { CodeField } from './CodeField';
import { describeError, isClosedPasskeyPrompt } from './describe-error';
import { ErrorAlert } from './ErrorAlert';
import { MethodIcon, methodName } from './methods';
import { useCountdown } from './use-countdown';

interface SecondFactorStepProps {
  question: MfaRequired;
  /** Sends the answer; throws the API's error to be shown here. */
  onAnswer: (answer: SecondFactorAnswer, rememberDevice: boolean) => Promise<void>;
  allowRecoveryCode?: boolean;
  allowRemember?: boolean;
  submitLabel?: string;
  onCancel?: () => void;
}

type Mode = 'code' | 'choose' | 'recovery';

const ANSWERABLE_TYPES = ['totp', 'sms', 'email', 'passkey'];
// Only SMS and email need a code sent: TOTP has one in the app, a passkey asks the browser instead.
const sendsCode = (factor: FactorSummary) => factor.type === 'sms' || factor.type === 'email';

const chooserItem = { border: 1, borderColor: 'divider', borderRadius: 2, mb: 1 };

/**
 * The second-factor question of a sign-in, a password reset or a step-up: the default method first,
 * "use another method", a recovery code. SMS and email methods get their code sent when chosen; the
 * resend button says how long until it can be used, and a lock is explained with its wait. A passkey
 * asks for the API's challenge and the browser's signature only when the button is pressed.
 */
export function SecondFactorStep({ question, onAnswer, allowRecoveryCode = true, allowRemember = false, submitLabel = t.code.submit, onCancel }: SecondFactorStepProps) {
  const factors = question.factors.filter((f) => f.status === 'active' && ANSWERABLE_TYPES.includes(f.type));
  const initial = factors.find((f) => f.id === question.defaultFactorId) ?? factors[0];
  const [factorId, setFactorId] = useState<string | undefined>(initial?.id);
  const [mode, setMode] = useState<Mode>(initial ? 'code' : allowRecoveryCode ? 'recovery' : 'choose');
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [sent, setSent] = useState<ChallengeAnswer | null>(null);
  // One automatic send per factor per question: React's development double effects must not send twice.
  const sentFor = useRef(new Set<string>());
  const resendIn = useCountdown(sent?.resendAvailableAt);
  const factor = factors.find((f) => f.id === factorId);

  const send = async (target: FactorSummary, isResend: boolean) => {
    setError(null);
    setNotice(null);
    try {
      const answer = await accountApi.challenge(question.mfaToken, target.id);
      setSent(answer.sentTo ? answer : null);
      if (isResend) setNotice(t.code.resent);
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  useEffect(() => {
    if (mode !== 'code' || !factor || !sendsCode(factor) || sentFor.current.has(factor.id)) return;
    sentFor.current.add(factor.id);
    void send(factor, false);
  }, [mode, factor?.id]);

  const choose = (next: FactorSummary) => {
    setFactorId(next.id);
    setSent(null);
    setCode('');
    setError(null);
    setNotice(null);
    setMode('code');
  };

  // Each try gets a new challenge from the API: a challenge works once.
  const passkeyAnswer = async (target: FactorSummary) => {
    const { options } = await accountApi.challenge(question.mfaToken, target.id);
    if (!options) throw new PasskeyPromptError('failed');
    return { factorId: target.id, credential: await signWithPasskey(options) };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      if (mode === 'recovery') await onAnswer({ recoveryCode: recoveryCode.trim() }, remember);
      else if (factor?.type === 'passkey') await onAnswer(await passkeyAnswer(factor), remember);
      else if (factor) await onAnswer({ factorId: factor.id, code }, remember);
    } catch (failure) {
      // Closing the browser's prompt is a choice, not a failure: say so calmly.
      if (isClosedPasskeyPrompt(failure)) setNotice(describeError(failure));
      else setError(describeError(failure));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  const isPasskey = mode === 'code' && factor?.type === 'passkey';
  const canSubmit = mode === 'recovery' ? recoveryCode.trim().length >= 16 : isPasskey || code.length === 6;

  if (mode === 'choose') {
    return (
      <Box data-testid="method-chooser">
        <Typography component="h2" variant="h6" sx={{ mb: 1 }}>
          {t.code.chooseMethod}
        </Typography>
        {factors.length === 0 && <Alert severity="info">{t.code.noMethods}</Alert>}
        <List>
          {factors.map((f) => (
            <ListItem key={f.id} disablePadding>
              <ListItemButton onClick={() => choose(f)} data-testid={`choose-${f.type}`} sx={chooserItem}>
                <ListItemIcon>
                  <MethodIcon type={f.type} />
                </ListItemIcon>
                <ListItemText primary={methodName(f.type)} secondary={f.hint} />
              </ListItemButton>
            </ListItem>
          ))}
          {allowRecoveryCode && (
            <ListItem disablePadding>
              <ListItemButton onClick={() => setMode('recovery')} data-testid="choose-recovery-code" sx={chooserItem}>
                <ListItemIcon>
                  <MethodIcon type="recovery_code" />
                </ListItemIcon>
                <ListItemText primary={t.code.useRecoveryCode} />
              </ListItemButton>
            </ListItem>
          )}
        </List>
        {onCancel && <Button onClick={onCancel}>{t.common.cancel}</Button>}
      </Box>
    );
  }

  return (
    <Box component="form" onSubmit={(event) => void submit(event)} noValidate data-testid="second-factor-form">
      {mode === 'recovery' ? (
        <>
          <Typography>{t.code.recoveryCodeHelp}</Typography>
          <TextField
            label={t.code.recoveryCodeLabel}
            value={recoveryCode}
            onChange={(event) => setRecoveryCode(event.target.value.toUpperCase().slice(0, 32))}
            autoFocus
            required
            fullWidth
            margin="normal"
            autoComplete="off"
            slotProps={{ htmlInput: { 'data-testid': 'recovery-code-input', spellCheck: false, autoCapitalize: 'characters', style: { fontFamily: 'monospace' } } }}
          />
          {question.recoveryCodesRemaining !== undefined && (
            <Typography variant="body2" color="text.secondary">
              {t.code.recoveryRemaining(question.recoveryCodesRemaining)}
            </Typography>
          )}
        </>
      ) : factor ? (
        <>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
            <MethodIcon type={factor.type} />
            <Typography component="h2" variant="h6" data-testid="current-method" data-type={factor.type}>
              {methodName(factor.type)}
            </Typography>
          </Stack>
          <Typography data-testid="code-prompt" aria-live="polite">
            {factor.type === 'passkey' ? t.passkey.prompt : factor.type === 'totp' ? t.code.totpPrompt : sent?.sentTo ? t.code.sentPrompt(sent.sentTo) : t.code.sending}
          </Typography>
          {factor.type === 'passkey' && factor.hint !== methodName(factor.type) && (
            <Typography variant="body2" color="text.secondary" data-testid="passkey-hint">
              {factor.hint}
            </Typography>
          )}
          {sent?.expiresAt && (
            <Typography variant="body2" color="text.secondary">
              {t.code.expiresAt(sent.expiresAt)}
            </Typography>
          )}
          {factor.type !== 'passkey' && <CodeField value={code} onChange={setCode} key={factor.id} />}
          {sendsCode(factor) && (
            <Button onClick={() => void send(factor, true)} disabled={resendIn > 0} data-testid="resend" sx={{ px: 0 }}>
              {resendIn > 0 ? t.code.resendIn(resendIn) : t.code.resend}
            </Button>
          )}
        </>
      ) : null}

      {allowRemember && (
        <Box sx={{ mt: 1 }}>
          <FormControlLabel
            control={<Checkbox checked={remember} onChange={(event) => setRemember(event.target.checked)} slotProps={{ input: { 'data-testid': 'remember-device', 'aria-describedby': 'remember-help' } as object }} />}
            label={t.code.remember}
          />
          <Typography id="remember-help" variant="body2" color="text.secondary" sx={{ ml: 4 }}>
            {t.code.rememberHelp}
          </Typography>
        </Box>
      )}

      <div aria-live="polite">{notice && <Alert severity="info" sx={{ my: 2 }} data-testid="code-notice">{notice}</Alert>}</div>
      <ErrorAlert message={error} testId="code-error" />

      <Stack direction="row" spacing={2} sx={{ mt: 2, flexWrap: 'wrap', alignItems: 'center' }}>
        <Button type="submit" variant="contained" size="large" disabled={busy || !canSubmit} data-testid={isPasskey ? 'passkey-submit' : 'code-submit'} autoFocus={isPasskey}>
          {isPasskey ? t.passkey.use : submitLabel}
        </Button>
        <Button onClick={() => setMode('choose')} data-testid="use-another-method">
          {t.code.useAnother}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t.common.cancel}</Button>}
      </Stack>
    </Box>
  );
}
