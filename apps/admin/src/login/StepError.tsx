import { Alert } from '@mui/material';

export const StepError = ({ message }: { message: string | null }) =>
  message ? (
    <Alert severity="error" role="alert" data-testid="login-error" sx={{ mb: 2 }}>
      {message}
    </Alert>
  ) : null;
