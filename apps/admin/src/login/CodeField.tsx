import { TextField } from '@mui/material';

interface CodeFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  autoFocus?: boolean;
}

/** A six-digit one-time code input: numeric keyboard, one-time-code autofill, digits only. */
export const CodeField = ({ label, value, onChange, testId, autoFocus = true }: CodeFieldProps) => (
  <TextField
    label={label}
    value={value}
    onChange={(event) => onChange(event.target.value.replace(/\D/g, '').slice(0, 6))}
    autoFocus={autoFocus}
    required
    fullWidth
    margin="normal"
    autoComplete="one-time-code"
    slotProps={{
      htmlInput: {
        'data-testid': testId,
        inputMode: 'numeric',
        pattern: '[0-9]{6}',
        maxLength: 6,
        style: { letterSpacing: '0.4em', fontFamily: 'monospace', fontSize: '1.3rem' },
      },
    }}
  />
);
