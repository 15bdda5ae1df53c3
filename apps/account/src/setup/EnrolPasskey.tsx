import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Stack, TextField, Typography } from '@mui/material';
import { accountApi } from '../api/account-api';
import { ApiError } from '../api/client';
import type { FactorRole, FactorVerified, PasskeyEnrolment } from '../api/types';
import { describeError, isClosedPasskeyPrompt } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { createPasskey } from '../passkeys/passkey-prompt';
import { t } from '../i18n';

type RunChange = <T>(action: () => Promise<T>) => Promise<T>;

interface EnrolPasskeyProps {
  role: FactorRole;
  onVerified: (result: FactorVerified) => void;
  onBack: () => void;
  /** Wraps the calls that change the account (the security page asks for a step-up when needed). */
  run: RunChange;
}

const LABEL_MAX = 64;

/**
 * Adds a passkey: an optional name, then the API's creation options → the browser makes the passkey →
 * the API checks the browser's answer and the method is active.
 */
export function EnrolPasskey({ role, onVerified, onBack, run }: EnrolPasskeyProps) {
  const [label, setLabel] = useState('');
  // Kept while its challenge is unused, so closing the browser's prompt and trying again makes no new method.
  const [enrolment, setEnrolment] = useState<PasskeyEnrolment | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const pending = enrolment ?? (await run(() => accountApi.enrolPasskey(role, label.trim())));
      setEnrolment(pending);
      const credential = await createPasskey(pending.options);
      onVerified(await run(() => accountApi.confirmPasskey(pending.factor.id, credential)));
    } catch (failure) {
      if (isClosedPasskeyPrompt(failure)) setNotice(describeError(failure));
      else setError(describeError(failure));
      // The API refused the browser's answer: that challenge is spent, the next try starts afresh.
      if (failure instanceof ApiError) setEnrolment(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="form" onSubmit={(event) => void create(event)} noValidate data-testid="enrol-passkey">
      <Typography component="h2" variant="h5" sx={{ mb: 2 }}>
        {t.methods.passkey}
      </Typography>
      <Typography>{t.passkey.intro}</Typography>
      <TextField
        label={t.passkey.label}
        value={label}
        onChange={(event) => setLabel(event.target.value.slice(0, LABEL_MAX))}
        disabled={enrolment !== null}
        helperText={t.passkey.labelHelp}
        autoFocus
        fullWidth
        margin="normal"
        autoComplete="off"
        slotProps={{ htmlInput: { 'data-testid': 'passkey-label', maxLength: LABEL_MAX } }}
      />
      <div aria-live="polite">{notice && <Alert severity="info" sx={{ my: 1 }} data-testid="passkey-notice">{notice}</Alert>}</div>
      <ErrorAlert message={error} testId="enrol-error" />
      <Stack direction="row" spacing={2} sx={{ mt: 2 }}>
        <Button type="submit" variant="contained" size="large" disabled={busy} data-testid="passkey-create">
          {t.passkey.create}
        </Button>
        <Button onClick={onBack} data-testid="enrol-back">
          {t.setup.changeMethod}
        </Button>
      </Stack>
    </Box>
  );
}
