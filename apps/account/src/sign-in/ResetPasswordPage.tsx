import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router-dom';
import { Box, Button, Link, Typography } from '@mui/material';
import { accountApi } from '../api/account-api';
import type { MfaRequired } from '../api/types';
import { describeError, errorCode } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageLayout } from '../components/PageLayout';
import { PasswordField } from '../components/PasswordField';
import { newPasswordProblem } from '../components/password-rules';
import { SecondFactorStep } from '../components/SecondFactorStep';
import { t } from '../i18n';
import { completeSignIn } from './complete-sign-in';

/**
 * The link from the reset email (#/reset?token=…): the token opens a second-factor question (the
 * email is proven already, so email is not among its methods); a new password and a code finish it.
 */
export function ResetPasswordPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [question, setQuestion] = useState<MfaRequired | null>(null);
  const [phase, setPhase] = useState<'checking' | 'password' | 'code' | 'failed'>('checking');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = params.get('token');
    // The token must not linger in the address bar or the history once read.
    void navigate('/reset', { replace: true });
    if (!token) {
      setError(t.reset.noToken);
      setPhase('failed');
      return;
    }
    accountApi.startReset(token).then(
      (answer) => {
        setQuestion(answer);
        setPhase('password');
      },
      (failure: unknown) => {
        setError(describeError(failure));
        setPhase('failed');
      },
    );
  }, [params, navigate]);

  const choosePassword = (event: FormEvent) => {
    event.preventDefault();
    const problem = newPasswordProblem(password, confirmation);
    setError(problem);
    if (!problem) setPhase('code');
  };

  return (
    <PageLayout title={t.reset.title}>
      {phase === 'checking' && <Typography role="status">{t.reset.checking}</Typography>}
      {phase === 'failed' && (
        <>
          <ErrorAlert message={error} testId="reset-error" />
          <Link component={RouterLink} to="/forgot">
            {t.reset.askAgain}
          </Link>
        </>
      )}
      {phase === 'password' && (
        <Box component="form" onSubmit={choosePassword} noValidate data-testid="reset-password-form">
          <Typography>{t.reset.intro}</Typography>
          <Typography variant="body2" sx={{ mt: 1 }}>
            {t.register.rules}
          </Typography>
          <PasswordField label={t.reset.newPassword} value={password} onChange={setPassword} autoComplete="new-password" testId="reset-password" autoFocus />
          <PasswordField label={t.reset.confirm} value={confirmation} onChange={setConfirmation} autoComplete="new-password" testId="reset-confirm" />
          <ErrorAlert message={error} testId="reset-error" />
          <Button type="submit" variant="contained" size="large" sx={{ mt: 2 }} data-testid="reset-continue">
            {t.common.continue}
          </Button>
        </Box>
      )}
      {phase === 'code' && question && (
        <SecondFactorStep
          question={question}
          submitLabel={t.reset.submit}
          onCancel={() => setPhase('password')}
          onAnswer={async (answer) => {
            try {
              completeSignIn(await accountApi.verify(question.mfaToken, answer, { newPassword: password }), navigate, t.signIn.passwordChanged);
            } catch (failure) {
              // The API checks the new password before the code: back to the password with its reason.
              if (errorCode(failure) === 'validation_failed') {
                setError(describeError(failure));
                setPhase('password');
                return;
              }
              throw failure;
            }
          }}
        />
      )}
    </PageLayout>
  );
}
