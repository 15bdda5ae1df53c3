import { Alert } from '@mui/material';

/** A failure in plain words, announced to screen readers as soon as it appears. */
export const ErrorAlert = ({ message, testId = 'error' }: { message: string | null; testId?: string }) =>
  message ? (
    <Alert severity="error" role="alert" data-testid={testId} sx={{ my: 2 }}>
      {message}
    </Alert>
  ) : null;
