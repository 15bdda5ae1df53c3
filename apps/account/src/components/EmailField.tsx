import { TextField } from '@mui/material';

interface EmailFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}

/** The login email: focused first, offered by password managers as the username, capped at the API's length. */
export function EmailField({ label, value, onChange, testId }: EmailFieldProps) {
  return (
    <TextField
      label={label}
      type="email"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      autoComplete="username"
      autoFocus
      required
      fullWidth
      margin="normal"
      slotProps={{ htmlInput: { 'data-testid': testId, maxLength: 320 } }}
    />
  );
}
