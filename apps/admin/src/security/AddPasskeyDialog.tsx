import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  TextField,
} from '@mui/material';
import { HttpError, useNotify, useTranslate } from 'react-admin';
import { isClosedPrompt, createPasskey } from '../passkeys/passkeyPrompt';
import { useDescribeError } from '../passkeys/useDescribeError';
import type { FactorRole, PasskeyEnrolment } from '../types';
import { changeOwnFactorRole, confirmPasskey, startPasskeyEnrolment } from './ownFactorsApi';

interface AddPasskeyDialogProps {
  role: FactorRole;
  mayBecomePrimary: boolean;
  /** Called once the passkey is active (and primary when asked): the page reloads the list. */
  onAdded: (madePrimary: boolean) => void;
  onClose: () => void;
}

const LABEL_MAX = 64;

/**
 * A name, then the API's creation options → the browser makes the passkey → the API checks it. Next to
 * an existing primary the passkey joins as a secondary and is then made primary by the role change.
 */
export const AddPasskeyDialog = ({ role, mayBecomePrimary, onAdded, onClose }: AddPasskeyDialogProps) => {
  const translate = useTranslate();
  const describe = useDescribeError();
  const notify = useNotify();
  const [label, setLabel] = useState('');
  // Passkeys resist phishing, so staff are nudged to make one their primary method.
  const [makePrimary, setMakePrimary] = useState(mayBecomePrimary);
  // Kept while its challenge is unused, so closing the browser's prompt and trying again adds nothing twice.
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
      const pending = enrolment ?? (await startPasskeyEnrolment(role, label.trim()));
      setEnrolment(pending);
      const credential = await createPasskey(pending.options);
      await confirmPasskey(pending.factor.id, credential);
      onAdded(role === 'secondary' && makePrimary && (await promote(pending.factor.id)));
    } catch (caught) {
      if (isClosedPrompt(caught)) setNotice(describe(caught));
      else setError(describe(caught));
      // The API refused the browser's answer: that challenge is spent, the next try starts afresh.
      if (caught instanceof HttpError) setEnrolment(null);
    } finally {
      setBusy(false);
    }
  };

  // The passkey is active already: a refused promotion leaves it a secondary, said in a toast.
  const promote = async (factorId: string): Promise<boolean> => {
    try {
      await changeOwnFactorRole(factorId, 'primary');
      return true;
    } catch (caught) {
      notify(describe(caught), { type: 'warning' });
      return false;
    }
  };

  return (
    <Dialog open onClose={() => (busy ? undefined : onClose())} fullWidth maxWidth="sm" aria-labelledby="add-passkey-title">
      <form onSubmit={(event) => void create(event)} noValidate data-testid="add-passkey-dialog">
        <DialogTitle id="add-passkey-title">{translate('twofold.security.add_passkey_title')}</DialogTitle>
        <DialogContent>
          <DialogContentText>{translate('twofold.security.add_passkey_explain')}</DialogContentText>
          <TextField
            label={translate('twofold.security.label')}
            helperText={translate('twofold.security.label_help')}
            value={label}
            onChange={(event) => setLabel(event.target.value.slice(0, LABEL_MAX))}
            disabled={enrolment !== null}
            // Outlined: the theme's filled grey makes the focused label's blue too faint (WCAG AA).
            variant="outlined"
            autoFocus
            fullWidth
            margin="normal"
            autoComplete="off"
            slotProps={{ htmlInput: { 'data-testid': 'passkey-label', maxLength: LABEL_MAX } }}
          />
          {role === 'secondary' && mayBecomePrimary ? (
            <FormControlLabel
              control={
                <Checkbox
                  checked={makePrimary}
                  onChange={(event) => setMakePrimary(event.target.checked)}
                  slotProps={{ input: { 'data-testid': 'passkey-make-primary' } as object }}
                />
              }
              label={translate('twofold.security.make_it_primary')}
            />
          ) : null}
          {notice ? (
            <Alert severity="info" sx={{ mt: 2 }} data-testid="passkey-notice">
              {notice}
            </Alert>
          ) : null}
          {error ? (
            <Alert severity="error" role="alert" sx={{ mt: 2 }} data-testid="passkey-error">
              {error}
            </Alert>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy} data-testid="passkey-cancel">
            {translate('ra.action.cancel')}
          </Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy}
            data-testid="passkey-create"
            startIcon={busy ? <CircularProgress size={18} color="inherit" /> : null}
          >
            {translate('twofold.security.create')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
