import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@mui/material';
import { useTranslate } from 'react-admin';
import { describeApiError } from '../httpClient';
import type { SupportActionInput, Verification } from '../types';

export const REASON_MIN = 10;
export const REASON_MAX = 500;

export const VERIFICATIONS: Verification[] = ['security_questions', 'callback_to_number_on_file', 'id_document', 'in_person'];

interface SupportActionDialogProps {
  open: boolean;
  title: string;
  description: string;
  confirmLabel: string;
  /** Resets ask how the caller's identity was confirmed; an unlock does not. */
  requireVerification: boolean;
  onClose: () => void;
  onConfirm: (input: SupportActionInput) => Promise<void>;
}

export function reasonError(reason: string): string | null {
  const length = reason.trim().length;
  if (length < REASON_MIN) return 'twofold.support.reason_too_short';
  if (length > REASON_MAX) return 'twofold.support.reason_too_long';
  return null;
}

export const SupportActionDialog = (props: SupportActionDialogProps) => {
  const { open, title, description, confirmLabel, requireVerification, onClose, onConfirm } = props;
  const translate = useTranslate();
  const [reason, setReason] = useState('');
  const [verification, setVerification] = useState<Verification | ''>('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reasonProblem = reasonError(reason);
  const verificationMissing = requireVerification && verification === '';
  const invalid = reasonProblem !== null || verificationMissing;

  const close = () => {
    if (busy) return;
    setReason('');
    setVerification('');
    setTouched(false);
    setError(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm({ reason: reason.trim(), ...(requireVerification && verification ? { verification } : {}) });
      setBusy(false);
      setReason('');
      setVerification('');
      setTouched(false);
      onClose();
    } catch (caught) {
      setError(describeApiError(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm" aria-labelledby="support-action-title">
      <form onSubmit={(event) => void submit(event)} noValidate data-testid="support-action-dialog">
        <DialogTitle id="support-action-title">{title}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 1 }}>{description}</DialogContentText>
          {error ? (
            <Alert severity="error" role="alert" data-testid="action-error" sx={{ mb: 1 }}>
              {error}
            </Alert>
          ) : null}
          {requireVerification ? (
            <TextField
              select
              label={translate('twofold.support.verification')}
              value={verification}
              onChange={(event) => setVerification(event.target.value as Verification | '')}
              required
              fullWidth
              margin="normal"
              error={touched && verificationMissing}
              helperText={touched && verificationMissing ? translate('twofold.support.verification_required') : ' '}
              slotProps={{
                select: { native: true },
                inputLabel: { shrink: true },
                htmlInput: { 'data-testid': 'action-verification' },
              }}
            >
              <option value="" disabled>
                {translate('twofold.support.choose_verification')}
              </option>
              {VERIFICATIONS.map((value) => (
                <option key={value} value={value}>
                  {translate(`twofold.verification.${value}`)}
                </option>
              ))}
            </TextField>
          ) : null}
          <TextField
            label={translate('twofold.support.reason')}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            onBlur={() => setTouched(true)}
            required
            fullWidth
            multiline
            minRows={3}
            margin="normal"
            error={touched && reasonProblem !== null}
            helperText={
              touched && reasonProblem
                ? translate(reasonProblem, { min: REASON_MIN, max: REASON_MAX })
                : translate('twofold.support.reason_help', { length: reason.trim().length, max: REASON_MAX })
            }
            slotProps={{ htmlInput: { 'data-testid': 'action-reason', maxLength: REASON_MAX + 50 } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={busy} data-testid="action-cancel">
            {translate('ra.action.cancel')}
          </Button>
          <Button
            type="submit"
            variant="contained"
            color="error"
            disabled={busy || (touched && invalid)}
            data-testid="action-confirm"
            startIcon={busy ? <CircularProgress size={18} color="inherit" /> : null}
          >
            {confirmLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
