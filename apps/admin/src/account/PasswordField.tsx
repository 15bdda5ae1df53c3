import { TextField } from '@mui/material';

interface PasswordFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  autoComplete: 'current-password' | 'new-password';
  autoFocus?: boolean;
}

export const PasswordField = ({ label, value, onChange, testId, autoComplete, autoFocus }: PasswordFieldProps) => (
  <TextField
    label={label}
    type="password"
    value={value}
    onChange={(event) => onChange(event.target.value)}
    autoComplete={autoComplete}
    autoFocus={autoFocus}
    required
    fullWidth
    margin="normal"
    slotProps={{ htmlInput: { 'data-testid': testId, maxLength: 512 } }}
  />
);
