import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Box, Button, CircularProgress, Link } from '@mui/material';
import { useLogout, useNotify, useTranslate } from 'react-admin';
import { describeApiError, errorBody, errorCode } from '../httpClient';
import { LoginLayout } from '../login/LoginLayout';
import { changeOwnPassword } from './accountApi';
import { PasswordError } from './PasswordError';
import { PasswordField } from './PasswordField';
import { newPasswordProblem, PASSWORD_MAX, PASSWORD_MIN } from './passwordRules';
import { forgetSignInPassword, peekSignInPassword } from './signInPassword';

interface Problem {
  message: string;
  details: string[];
}

/**
 * Shown instead of the console while the member of staff still uses the generated setup password.
 * The setup password typed at sign-in is reused as the current one; after a reload it is asked for.
 */
export const PasswordChangePage = ({ onChanged }: { onChanged: () => Promise<void> }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const logout = useLogout();
  // Copied into this page's state, then dropped from memory at once.
  const [remembered, setRemembered] = useState(peekSignInPassword);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => forgetSignInPassword(), []);

  const currentPassword = remembered ?? current;

  const fieldLabel = (field: string) => translate(`twofold.password.fields.${field}`, { _: field });

  const apiProblem = (error: unknown): Problem => {
    if (errorCode(error) === 'invalid_credentials') {
      setRemembered(null); // ask for it instead
      return { message: translate('twofold.password.wrong_current'), details: [] };
    }
    const errors = errorBody(error).errors ?? [];
    if (errors.length) {
      return { message: errorBody(error).message ?? describeApiError(error), details: errors.map((e) => `${fieldLabel(e.field)}: ${e.message}`) };
    }
    return { message: describeApiError(error), details: [] };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local = newPasswordProblem(next, confirmation, currentPassword);
    if (local) {
      setProblem({ message: translate(local, { min: PASSWORD_MIN, max: PASSWORD_MAX }), details: [] });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await changeOwnPassword(currentPassword, next);
      setRemembered(null);
      notify('twofold.password.changed', { type: 'success' });
      await onChanged();
    } catch (caught) {
      setProblem(apiProblem(caught));
      setBusy(false);
    }
  };

  return (
    <LoginLayout title={translate('twofold.password.title')}>
      <form onSubmit={(event) => void submit(event)} noValidate data-testid="password-change" aria-label={translate('twofold.password.title')}>
        <Alert severity="info" sx={{ mb: 1 }}>
          {translate('twofold.password.explain')}
        </Alert>
        <PasswordError message={problem?.message ?? null} details={problem?.details ?? []} />
        {remembered === null ? (
          <PasswordField
            label={translate('twofold.password.current')}
            value={current}
            onChange={setCurrent}
            testId="password-current"
            autoComplete="current-password"
            autoFocus
          />
        ) : null}
        <PasswordField
          label={translate('twofold.password.new')}
          value={next}
          onChange={setNext}
          testId="password-new"
          autoComplete="new-password"
          autoFocus={remembered !== null}
        />
        <PasswordField
          label={translate('twofold.password.confirm')}
          value={confirmation}
          onChange={setConfirmation}
          testId="password-confirm"
          autoComplete="new-password"
        />
        <Button
          type="submit"
          variant="contained"
          fullWidth
          sx={{ mt: 2 }}
          disabled={busy || !currentPassword || !next || !confirmation}
          data-testid="password-submit"
          startIcon={busy ? <CircularProgress size={18} color="inherit" /> : null}
        >
          {translate('twofold.password.submit')}
        </Button>
        <Box sx={{ display: 'flex', justifyContent: 'flex-end', mt: 2 }}>
          <Link component="button" type="button" variant="body2" onClick={() => void logout()} data-testid="password-sign-out">
            {translate('twofold.password.sign_out')}
          </Link>
        </Box>
      </form>
    </LoginLayout>
  );
};
