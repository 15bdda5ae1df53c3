import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle } from '@mui/material';
import { useTranslate } from 'react-admin';

interface SetupPasswordDialogProps {
  email: string;
  setupPassword: string;
  onClose: () => void;
}

/** The API returns a new staff member's setup password once; it cannot be shown again. */
export const SetupPasswordDialog = ({ email, setupPassword, onClose }: SetupPasswordDialogProps) => {
  const translate = useTranslate();
  return (
    <Dialog open onClose={onClose} aria-labelledby="setup-password-title" fullWidth maxWidth="sm">
      <DialogTitle id="setup-password-title">{translate('twofold.staff.setup_password_title')}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate('twofold.staff.setup_password_explain', { email })}
        </Alert>
        <Box
          component="code"
          data-testid="staff-setup-password"
          sx={{ display: 'block', fontFamily: 'monospace', fontSize: '1.1rem', p: 1.5, bgcolor: 'action.hover', wordBreak: 'break-all' }}
        >
          {setupPassword}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => void navigator.clipboard.writeText(setupPassword).catch(() => undefined)}>
          {translate('twofold.recovery.copy')}
        </Button>
        <Button variant="contained" onClick={onClose} data-testid="staff-setup-password-done">
          {translate('twofold.staff.setup_password_done')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
