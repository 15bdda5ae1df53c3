import { Alert, Box } from '@mui/material';

/** The form's problem: one message, and the API's per-field messages when it sent some. */
export const PasswordError = ({ message, details }: { message: string | null; details: string[] }) =>
  message ? (
    <Alert severity="error" role="alert" data-testid="password-error" sx={{ mb: 1 }}>
      {message}
      {details.length ? (
        <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
          {details.map((detail) => (
            <li key={detail}>{detail}</li>
          ))}
        </Box>
      ) : null}
    </Alert>
  ) : null;
