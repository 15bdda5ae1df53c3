import { useState, type FormEvent } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Alert, Box, Button, Link, Typography } from '@mui/material';
import { EmailField } from '../components/EmailField';
import { accountApi } from '../api/account-api';
import { describeError } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageLayout } from '../components/PageLayout';
import { t } from '../i18n';

/** Asks for a reset link; the answer is the same whether the account exists or not. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await accountApi.forgotPassword(email.trim());
      setSent(true);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageLayout title={t.forgot.title}>
      {sent ? (
        <Alert severity="success" role="status" data-testid="forgot-sent">
          {t.forgot.sent}
        </Alert>
      ) : (
        <Box component="form" onSubmit={(event) => void submit(event)} noValidate data-testid="forgot-form">
          <Typography>{t.forgot.intro}</Typography>
          <EmailField label={t.forgot.email} value={email} onChange={setEmail} testId="forgot-email" />
          <ErrorAlert message={error} />
          <Button type="submit" variant="contained" size="large" disabled={busy || !email} sx={{ mt: 2 }} data-testid="forgot-submit">
            {t.forgot.submit}
          </Button>
        </Box>
      )}
      <Link component={RouterLink} to="/sign-in" sx={{ display: 'inline-block', mt: 3 }}>
        {t.forgot.backToSignIn}
      </Link>
    </PageLayout>
  );
}
