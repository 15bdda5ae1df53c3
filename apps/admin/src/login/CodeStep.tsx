import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, CircularProgress, Link, MenuItem, TextField, Typography } from '@mui/material';
import FingerprintIcon from '@mui/icons-material/Fingerprint';
import { useTranslate } from 'react-admin';
import { errorCode } from '../httpClient';
import { isClosedPrompt, signWithPasskey } from '../passkeys/passkeyPrompt';
import { useDescribeError } from '../passkeys/useDescribeError';
import type { FactorSummary, MfaRequiredAnswer, TokenPair } from '../types';
import { CodeField } from './CodeField';
import { isSixDigitCode, sendChallenge, verifyCode, verifyPasskey, verifyRecoveryCode } from './loginApi';
import { StepError } from './StepError';

interface CodeStepProps {
  challenge: MfaRequiredAnswer;
  onTokens: (tokens: TokenPair) => void;
  onRestart: () => void;
}

// After these the mfaToken is dead: the only way on is a new password login.
const FATAL_CODES = new Set(['mfa_token_invalid', 'mfa_locked']);

// Only SMS and email need a code sent: TOTP has one in the app, a passkey asks the browser instead.
const sendsCode = (factor: FactorSummary | undefined) => factor?.type === 'sms' || factor?.type === 'email';

export const CodeStep = ({ challenge, onTokens, onRestart }: CodeStepProps) => {
  const translate = useTranslate();
  const describe = useDescribeError();
  const [factorId, setFactorId] = useState(challenge.defaultFactorId ?? challenge.factors[0]?.id ?? '');
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [fatal, setFatal] = useState(false);

  const factor = challenge.factors.find((candidate) => candidate.id === factorId);
  const passkey = challenge.factors.find((candidate) => candidate.type === 'passkey');
  const isPasskey = !useRecovery && factor?.type === 'passkey';
  const needsSending = !useRecovery && sendsCode(factor);
  const canSubmit = useRecovery ? recoveryCode.replace(/[\s-]/g, '').length >= 16 : isPasskey || isSixDigitCode(code);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (caught) {
      // Closing the browser's passkey prompt is a choice, not a failure: one calm line.
      if (isClosedPrompt(caught)) setNotice(describe(caught));
      else setError(describe(caught));
      setCode(''); // a rejected code is spent: ask for the next one
      setFatal(FATAL_CODES.has(errorCode(caught) ?? ''));
    } finally {
      setBusy(false);
    }
  };

  // A new challenge for every try: the API lets a passkey challenge work once.
  const signInWithPasskey = async (passkeyFactorId: string) => {
    const { options } = await sendChallenge(challenge.mfaToken, passkeyFactorId);
    if (!options) throw new Error(translate('twofold.passkey.problem.failed'));
    onTokens(await verifyPasskey(challenge.mfaToken, passkeyFactorId, await signWithPasskey(options)));
  };

  const send = () =>
    run(async () => {
      const answer = await sendChallenge(challenge.mfaToken, factorId);
      setSentTo(answer.sentTo ?? factor?.hint ?? null);
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit) return;
    void run(async () => {
      if (isPasskey) return signInWithPasskey(factorId);
      const tokens = useRecovery
        ? await verifyRecoveryCode(challenge.mfaToken, recoveryCode.trim())
        : await verifyCode(challenge.mfaToken, factorId, code);
      onTokens(tokens);
    });
  };

  const switchToPasskey = (passkeyFactorId: string) => {
    setFactorId(passkeyFactorId);
    setSentTo(null);
    void run(() => signInWithPasskey(passkeyFactorId));
  };

  if (fatal) {
    return (
      <Box>
        <StepError message={error} />
        <Button variant="contained" fullWidth onClick={onRestart} data-testid="login-restart">
          {translate('twofold.login.start_again')}
        </Button>
      </Box>
    );
  }

  return (
    <form onSubmit={submit} noValidate aria-label={translate('twofold.login.second_factor')}>
      <StepError message={error} />
      {notice ? (
        <Alert severity="info" sx={{ mb: 2 }} data-testid="login-notice">
          {notice}
        </Alert>
      ) : null}
      {!useRecovery && challenge.factors.length > 1 ? (
        <TextField
          select
          label={translate('twofold.login.factor')}
          value={factorId}
          onChange={(event) => {
            setFactorId(event.target.value);
            setSentTo(null);
          }}
          fullWidth
          margin="normal"
          slotProps={{ htmlInput: { 'data-testid': 'mfa-factor' } }}
        >
          {challenge.factors.map((candidate) => (
            <MenuItem key={candidate.id} value={candidate.id}>
              {translate(`twofold.factor_type.${candidate.type}`)} — {candidate.hint}
            </MenuItem>
          ))}
        </TextField>
      ) : null}
      {useRecovery ? (
        <TextField
          label={translate('twofold.login.recovery_code')}
          value={recoveryCode}
          onChange={(event) => setRecoveryCode(event.target.value)}
          autoFocus
          required
          fullWidth
          margin="normal"
          autoComplete="off"
          helperText="XXXX-XXXX-XXXX-XXXX"
          slotProps={{ htmlInput: { 'data-testid': 'recovery-code', spellCheck: false } }}
        />
      ) : isPasskey ? (
        <Box data-testid="passkey-prompt">
          <Typography variant="body2" color="text.secondary">
            {translate('twofold.passkey.prompt')}
          </Typography>
          <Typography variant="body2" sx={{ mt: 1, fontWeight: 500 }}>
            {factor.hint}
          </Typography>
        </Box>
      ) : (
        <>
          <Typography variant="body2" color="text.secondary">
            {factor?.type === 'totp' || !factor
              ? translate('twofold.login.totp_prompt')
              : translate('twofold.login.sent_prompt', { hint: factor.hint })}
          </Typography>
          {needsSending ? (
            <Button onClick={() => void send()} disabled={busy} sx={{ mt: 1 }} data-testid="mfa-send">
              {translate(sentTo ? 'twofold.login.resend' : 'twofold.login.send_code')}
            </Button>
          ) : null}
          {sentTo ? <Alert severity="info">{translate('twofold.login.sent_to', { to: sentTo })}</Alert> : null}
          <CodeField label={translate('twofold.login.code')} value={code} onChange={setCode} testId="mfa-code" />
        </>
      )}
      <Button
        type="submit"
        variant="contained"
        fullWidth
        sx={{ mt: 2 }}
        disabled={busy || !canSubmit}
        data-testid={isPasskey ? 'mfa-passkey' : 'mfa-submit'}
        autoFocus={isPasskey}
        startIcon={busy ? <CircularProgress size={18} color="inherit" /> : isPasskey ? <FingerprintIcon /> : null}
      >
        {translate(isPasskey ? 'twofold.passkey.use' : 'twofold.login.verify')}
      </Button>
      {passkey && !isPasskey && !useRecovery ? (
        <Button
          variant="outlined"
          fullWidth
          sx={{ mt: 1 }}
          disabled={busy}
          onClick={() => switchToPasskey(passkey.id)}
          data-testid="mfa-use-passkey"
          startIcon={<FingerprintIcon />}
        >
          {translate('twofold.passkey.use')}
        </Button>
      ) : null}
      <Box sx={{ display: 'flex', justifyContent: 'space-between', mt: 2 }}>
        <Link
          component="button"
          type="button"
          variant="body2"
          onClick={() => {
            setUseRecovery(!useRecovery);
            setError(null);
          }}
          data-testid="mfa-toggle-recovery"
        >
          {translate(useRecovery ? 'twofold.login.use_code' : 'twofold.login.use_recovery')}
        </Link>
        <Link component="button" type="button" variant="body2" onClick={onRestart} data-testid="login-back">
          {translate('twofold.login.back')}
        </Link>
      </Box>
    </form>
  );
};
