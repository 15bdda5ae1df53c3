import { useState, type FormEvent } from 'react';
import { Box, Button, Typography } from '@mui/material';
import { accountApi } from '../api/account-api';
import { describeError } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { PasswordField } from '../components/PasswordField';
import { newPasswordProblem } from '../components/password-rules';
import { useStepUp } from '../step-up/StepUpProvider';
import { t } from '../i18n';
import { Section } from './Section';

/** Password change (a recent second factor required; every other login ends). */
export function PasswordSection({ notify }: { notify: (message: string) => void }) {
  const withStepUp = useStepUp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = newPasswordProblem(next, confirmation, current);
    setError(problem);
    if (problem) return;
    setBusy(true);
    try {
      await withStepUp(() => accountApi.changePassword(current, next));
      setCurrent('');
      setNext('');
      setConfirmation('');
      notify(t.security.passwordChanged);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section id="password" title={t.security.passwordTitle}>
      <Box component="form" onSubmit={(event) => void submit(event)} noValidate data-testid="password-form" sx={{ maxWidth: 480 }}>
        <Typography variant="body2">{t.register.rules}</Typography>
        <PasswordField label={t.security.currentPassword} value={current} onChange={setCurrent} autoComplete="current-password" testId="password-current" id="password-current" />
        <PasswordField label={t.security.newPassword} value={next} onChange={setNext} autoComplete="new-password" testId="password-new" id="password-new" />
        <PasswordField label={t.security.confirmPassword} value={confirmation} onChange={setConfirmation} autoComplete="new-password" testId="password-confirm" id="password-confirm" />
        <ErrorAlert message={error} testId="password-error" />
        <Button type="submit" variant="contained" disabled={busy || !current || !next} sx={{ mt: 2 }} data-testid="password-submit">
          {t.security.changePassword}
        </Button>
      </Box>
    </Section>
  );
}
