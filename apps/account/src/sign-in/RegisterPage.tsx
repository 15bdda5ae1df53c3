import { useState, type FormEvent } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import { Box, Button, Link, TextField, Typography } from '@mui/material';
import { accountApi } from '../api/account-api';
import { saveSession } from '../api/session';
import { describeError } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageLayout } from '../components/PageLayout';
import { PasswordField } from '../components/PasswordField';
import { newPasswordProblem } from '../components/password-rules';
import { t } from '../i18n';

/** A new account, then straight into setting up two-step sign-in (the password step answers setup). */
export function RegisterPage() {
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = newPasswordProblem(password, confirmation);
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    try {
      await accountApi.register(email.trim(), password);
      const answer = await accountApi.login(email.trim(), password, null);
      if (answer.status === 'mfa_setup_required') {
        saveSession({ accessToken: answer.accessToken, expiresIn: answer.expiresIn, scope: 'enroll' });
        void navigate('/setup', { replace: true });
      } else {
        void navigate('/sign-in', { replace: true, state: { notice: t.register.created } });
      }
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageLayout title={t.register.title}>
      <Box component="form" onSubmit={(event) => void submit(event)} noValidate data-testid="register-form">
        <TextField
          label={t.register.email}
          type="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          autoComplete="email"
          autoFocus
          required
          fullWidth
          margin="normal"
          slotProps={{ htmlInput: { 'data-testid': 'register-email', maxLength: 320 } }}
        />
        <Typography id="password-rules" variant="body2" sx={{ mt: 1 }} data-testid="password-rules">
          {t.register.rules}
        </Typography>
        <PasswordField label={t.register.password} value={password} onChange={setPassword} autoComplete="new-password" testId="register-password" />
        <PasswordField label={t.register.confirm} value={confirmation} onChange={setConfirmation} autoComplete="new-password" testId="register-confirm" />
        <ErrorAlert message={error} testId="register-error" />
        <Button type="submit" variant="contained" size="large" disabled={busy || !email || !password} sx={{ mt: 2 }} data-testid="register-submit">
          {t.register.submit}
        </Button>
      </Box>
      <Typography sx={{ mt: 3 }}>
        {t.register.haveAccount}{' '}
        <Link component={RouterLink} to="/sign-in">
          {t.register.signIn}
        </Link>
      </Typography>
    </PageLayout>
  );
}
