import { useState, type FormEvent } from 'react';
import { Link as RouterLink, useLocation, useNavigate } from 'react-router-dom';
import { Alert, Box, Button, Link, Stack, Typography } from '@mui/material';
import { EmailField } from '../components/EmailField';
import { accountApi } from '../api/account-api';
import { readDeviceToken, saveSession } from '../api/session';
import type { MfaRequired } from '../api/types';
import { describeError } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageLayout } from '../components/PageLayout';
import { PasswordField } from '../components/PasswordField';
import { SecondFactorStep } from '../components/SecondFactorStep';
import { t } from '../i18n';
import { completeSignIn } from './complete-sign-in';

/** Password, then the default method's code (or another method, or a recovery code). */
export function SignInPage() {
  const navigate = useNavigate();
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [question, setQuestion] = useState<MfaRequired | null>(null);

  const submitPassword = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await accountApi.login(email.trim(), password, readDeviceToken());
      if (answer.status === 'signed_in') return completeSignIn(answer, navigate, t.signIn.trustedDevice);
      if (answer.status === 'mfa_setup_required') {
        saveSession({ accessToken: answer.accessToken, expiresIn: answer.expiresIn, scope: 'enroll' });
        return navigate('/setup', { replace: true });
      }
      setPassword(''); // not kept in memory past the step that needs it
      setQuestion(answer);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  if (question) {
    return (
      <PageLayout title={t.code.title}>
        <SecondFactorStep
          question={question}
          allowRemember
          onAnswer={async (answer, rememberDevice) => {
            try {
              completeSignIn(await accountApi.verify(question.mfaToken, answer, rememberDevice ? { rememberDevice } : {}), navigate);
            } catch (failure) {
              // A dead sign-in cannot take more codes: start again from the password.
              if ((failure as { code?: string }).code === 'mfa_token_invalid') {
                setQuestion(null);
                setError(describeError(failure));
                return;
              }
              throw failure;
            }
          }}
          onCancel={() => setQuestion(null)}
        />
      </PageLayout>
    );
  }

  return (
    <PageLayout title={t.signIn.title}>
      <Typography sx={{ mb: 1 }}>{t.signIn.intro}</Typography>
      {notice && (
        <Alert severity="success" sx={{ my: 2 }} role="status">
          {notice}
        </Alert>
      )}
      <Box component="form" onSubmit={(event) => void submitPassword(event)} noValidate data-testid="sign-in-form">
        <EmailField label={t.signIn.email} value={email} onChange={setEmail} testId="email" />
        <PasswordField label={t.signIn.password} value={password} onChange={setPassword} autoComplete="current-password" testId="password" />
        <ErrorAlert message={error} testId="sign-in-error" />
        <Button type="submit" variant="contained" size="large" disabled={busy || !email || !password} sx={{ mt: 2 }} data-testid="sign-in-submit">
          {t.signIn.submit}
        </Button>
      </Box>
      <Stack spacing={1} sx={{ mt: 3 }}>
        <Link component={RouterLink} to="/forgot" data-testid="forgot-link">
          {t.signIn.forgot}
        </Link>
        <Typography>
          {t.signIn.noAccount}{' '}
          <Link component={RouterLink} to="/register" data-testid="register-link">
            {t.signIn.register}
          </Link>
        </Typography>
      </Stack>
    </PageLayout>
  );
}
