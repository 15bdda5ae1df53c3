import { TextField } from '@mui/material';
import { t } from '../i18n';

interface CodeFieldProps {
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  label?: string;
  helperText?: string;
  autoFocus?: boolean;
  disabled?: boolean;
}

/** A six-digit one-time code: numeric keyboard, one-time-code autofill (SMS and email codes), digits only. */
export const CodeField = ({ value, onChange, testId = 'code-input', label = t.code.label, helperText, autoFocus = true, disabled }: CodeFieldProps) => (
  <TextField
    label={label}
    value={value}
    onChange={(event) => onChange(event.target.value.replace(/\D/g, '').slice(0, 6))}
    autoFocus={autoFocus}
    disabled={disabled}
    required
    fullWidth
    margin="normal"
    autoComplete="one-time-code"
    helperText={helperText}
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
