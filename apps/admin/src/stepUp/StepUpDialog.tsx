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
} from '@mui/material';
import { useTranslate } from 'react-admin';
import { CodeField } from '../login/CodeField';
import { isSixDigitCode } from '../login/loginApi';
import type { StepUpAnswer } from '../types';
import { startStepUp, verifyStepUp } from './stepUpApi';
import { useStepUpErrors } from './useStepUpErrors';

interface StepUpDialogProps {
  /** true once the second factor is proven, false when the member of staff gives up. */
  onDone: (verified: boolean) => void;
}

const factorOf = (challenge: StepUpAnswer | null) =>
  challenge ? (challenge.defaultFactorId ?? challenge.factors.find((factor) => factor.type === 'totp')?.id ?? null) : null;

/** "Confirm it's you": a fresh TOTP code for a change that needs a recent second factor. */
export const StepUpDialog = ({ onDone }: StepUpDialogProps) => {
  const translate = useTranslate();
  const describe = useStepUpErrors();
  const [challenge, setChallenge] = useState<StepUpAnswer | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [locked, setLocked] = useState(false);
  const started = useRef(false);

  const begin = useCallback(async () => {
    setChallenge(null);
    try {
      const answer = await startStepUp();
      setChallenge(answer);
      if (!factorOf(answer)) setError(translate('twofold.step_up.no_factor'));
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

  const factorId = factorOf(challenge);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!challenge || !factorId || !isSixDigitCode(code) || locked) return;
    setBusy(true);
    setError(null);
    try {
      await verifyStepUp(challenge.mfaToken, factorId, code);
      onDone(true);
      return;
    } catch (caught) {
      const problem = describe(caught);
      setError(problem.message);
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
          <DialogContentText>{translate('twofold.step_up.explain')}</DialogContentText>
          {error ? (
            <Alert severity="error" role="alert" data-testid="step-up-error" sx={{ mt: 2 }}>
              {error}
            </Alert>
          ) : null}
          {challenge || locked ? (
            <CodeField
              label={translate('twofold.login.code')}
              value={code}
              onChange={setCode}
              testId="step-up-code"
            />
          ) : (
            <Box sx={{ display: 'flex', justifyContent: 'center', p: 2 }}>
              <CircularProgress size={28} aria-label={translate('twofold.step_up.starting')} />
            </Box>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => onDone(false)} disabled={busy} data-testid="step-up-cancel">
            {translate('ra.action.cancel')}
          </Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy || locked || !factorId || !isSixDigitCode(code)}
            data-testid="step-up-submit"
            startIcon={busy ? <CircularProgress size={18} color="inherit" /> : null}
          >
            {translate('twofold.step_up.confirm')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
