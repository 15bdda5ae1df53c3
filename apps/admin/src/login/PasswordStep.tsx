import { useState, type FormEvent } from 'react';
import { Alert, Button, CircularProgress, TextField } from '@mui/material';
import { useTranslate } from 'react-admin';
import { describeApiError } from '../httpClient';
import type { LoginAnswer } from '../types';
import { passwordLogin } from './loginApi';
import { StepError } from './StepError';

interface PasswordStepProps {
  notice?: string | null;
  /** The password goes along: a one-time setup password is replaced right after sign-in. */
  onAnswer: (answer: LoginAnswer, password: string) => void;
}

export const PasswordStep = ({ notice, onAnswer }: PasswordStepProps) => {
  const translate = useTranslate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onAnswer(await passwordLogin(email.trim(), password), password);
    } catch (caught) {
      setError(describeApiError(caught));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-label={translate('twofold.login.sign_in')}>
      {notice && !error ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          {notice}
        </Alert>
      ) : null}
      <StepError message={error} />
      <TextField
        label={translate('twofold.login.email')}
        type="email"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        autoComplete="username"
        autoFocus
        required
        fullWidth
        margin="normal"
        slotProps={{ htmlInput: { 'data-testid': 'login-email' } }}
      />
      <TextField
        label={translate('twofold.login.password')}
        type="password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        autoComplete="current-password"
        required
        fullWidth
        margin="normal"
        slotProps={{ htmlInput: { 'data-testid': 'login-password' } }}
      />
      <Button
        type="submit"
        variant="contained"
        fullWidth
        sx={{ mt: 2 }}
        disabled={busy || !email || !password}
        data-testid="login-submit"
        startIcon={busy ? <CircularProgress size={18} color="inherit" /> : null}
      >
        {translate('twofold.login.sign_in')}
      </Button>
    </form>
  );
};
