import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { t } from '../i18n';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
}

/** "Are you sure?" for a change that cannot be undone from here; Cancel has the focus. */
export const ConfirmDialog = ({ open, title, body, confirmLabel, onConfirm, onClose }: ConfirmDialogProps) => (
  <Dialog open={open} onClose={onClose} aria-labelledby="confirm-title" aria-describedby="confirm-body" data-testid="confirm-dialog">
    <DialogTitle id="confirm-title">{title}</DialogTitle>
    <DialogContent>
      <DialogContentText id="confirm-body">{body}</DialogContentText>
    </DialogContent>
    <DialogActions>
      <Button onClick={onClose} autoFocus>
        {t.common.cancel}
      </Button>
      <Button onClick={onConfirm} color="error" variant="contained" data-testid="confirm-button">
        {confirmLabel}
      </Button>
    </DialogActions>
  </Dialog>
);
