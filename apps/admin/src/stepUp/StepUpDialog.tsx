import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import {
  Alert,
  Box,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Link,
} from '@mui/material';
import { useTranslate } from 'react-admin';
import { CodeField } from '../login/CodeField';
import { isSixDigitCode, sendChallenge } from '../login/loginApi';
import { signWithPasskey } from '../passkeys/passkeyPrompt';
import type { FactorSummary, StepUpAnswer } from '../types';
import { startStepUp, verifyStepUp, type StepUpProof } from './stepUpApi';
import { useStepUpErrors } from './useStepUpErrors';

interface StepUpDialogProps {
  /** true once the second factor is proven, false when the member of staff gives up. */
  onDone: (verified: boolean) => void;
}

// Staff prove themselves with their authenticator app or their passkey (the staff policy allows no other).
const usable = (challenge: StepUpAnswer | null): FactorSummary[] =>
  challenge?.factors.filter((factor) => factor.type === 'totp' || factor.type === 'passkey') ?? [];

const defaultFactorOf = (challenge: StepUpAnswer | null): FactorSummary | null => {
  const factors = usable(challenge);
  return factors.find((factor) => factor.id === challenge?.defaultFactorId) ?? factors[0] ?? null;
};

/** "Confirm it's you": a fresh TOTP code, or the passkey, for a change that needs a recent second factor. */
export const StepUpDialog = ({ onDone }: StepUpDialogProps) => {
  const translate = useTranslate();
  const describe = useStepUpErrors();
  const [challenge, setChallenge] = useState<StepUpAnswer | null>(null);
  const [factor, setFactor] = useState<FactorSummary | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [locked, setLocked] = useState(false);
  const started = useRef(false);

  const begin = useCallback(async () => {
    setChallenge(null);
    try {
      const answer = await startStepUp();
      setChallenge(answer);
      setFactor((current) => usable(answer).find((candidate) => candidate.id === current?.id) ?? defaultFactorOf(answer));
      if (!defaultFactorOf(answer)) setError(translate('twofold.step_up.no_factor'));
    } catch (caught) {
      const problem = describe(caught);
      setError(problem.message);
      setLocked(true); // without a challenge there is nothing to answer
    }
  }, [describe, translate]);

  useEffect(() => {
    // Each step-up call makes a new challenge: one per dialog.
    if (started.current) return;
    started.current = true;
    void begin();
  }, [begin]);

  const isPasskey = factor?.type === 'passkey';
  const other = usable(challenge).find((candidate) => candidate.type !== factor?.type);
  const ready = isPasskey || isSixDigitCode(code);

  // A passkey signs a challenge the API makes for this step-up (it works once).
  const proof = async (mfaToken: string, chosen: FactorSummary): Promise<StepUpProof> => {
    if (chosen.type !== 'passkey') return { code };
    const { options } = await sendChallenge(mfaToken, chosen.id);
    if (!options) throw new Error(translate('twofold.passkey.problem.failed'));
    return { credential: await signWithPasskey(options) };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!challenge || !factor || !ready || locked) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await verifyStepUp(challenge.mfaToken, factor.id, await proof(challenge.mfaToken, factor));
      onDone(true);
      return;
    } catch (caught) {
      const problem = describe(caught);
      if (problem.closed) setNotice(problem.message);
      else setError(problem.message);
      setCode(''); // a rejected code is spent
      setLocked(problem.locked);
      if (problem.restart) await begin();
    }
    setBusy(false);
  };

  return (
    <Dialog open onClose={() => (busy ? undefined : onDone(false))} fullWidth maxWidth="xs" aria-labelledby="step-up-title">
      <form onSubmit={(event) => void submit(event)} noValidate data-testid="step-up-dialog">
        <DialogTitle id="step-up-title">{translate('twofold.step_up.title')}</DialogTitle>
        <DialogContent>
          <DialogContentText>{translate(isPasskey ? 'twofold.step_up.explain_passkey' : 'twofold.step_up.explain')}</DialogContentText>
          {error ? (
            <Alert severity="error" role="alert" data-testid="step-up-error" sx={{ mt: 2 }}>
              {error}
            </Alert>
          ) : null}
          {notice ? (
            <Alert severity="info" data-testid="step-up-notice" sx={{ mt: 2 }}>
              {notice}
            </Alert>
          ) : null}
          {!challenge && !locked ? (
            <Box sx={{ display: 'flex', justifyContent: 'center', p: 2 }}>
              <CircularProgress size={28} aria-label={translate('twofold.step_up.starting')} />
            </Box>
          ) : isPasskey ? null : (
            <CodeField label={translate('twofold.login.code')} value={code} onChange={setCode} testId="step-up-code" />
          )}
          {other && !busy ? (
            <Link
              component="button"
              type="button"
              variant="body2"
              sx={{ mt: 1 }}
              onClick={() => {
                setFactor(other);
                setError(null);
                setNotice(null);
              }}
              data-testid="step-up-switch"
            >
              {translate(other.type === 'passkey' ? 'twofold.passkey.use' : 'twofold.step_up.use_code')}
            </Link>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => onDone(false)} disabled={busy} data-testid="step-up-cancel">
            {translate('ra.action.cancel')}
          </Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy || locked || !factor || !ready}
            data-testid="step-up-submit"
            startIcon={busy ? <CircularProgress size={18} color="inherit" /> : null}
          >
            {translate(isPasskey ? 'twofold.passkey.use' : 'twofold.step_up.confirm')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
