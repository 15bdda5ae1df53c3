import { useState } from 'react';
import { IconButton, InputAdornment, TextField } from '@mui/material';
import Visibility from '@mui/icons-material/Visibility';
import VisibilityOff from '@mui/icons-material/VisibilityOff';
import { t } from '../i18n';

interface PasswordFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  testId: string;
  helperText?: string;
  autoFocus?: boolean;
  id?: string;
}

/** A password input with a show/hide button (a screen reader hears which it does). */
export function PasswordField({ label, value, onChange, autoComplete, testId, helperText, autoFocus, id }: PasswordFieldProps) {
  const [shown, setShown] = useState(false);
  return (
    <TextField
      id={id}
      label={label}
      type={shown ? 'text' : 'password'}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      autoComplete={autoComplete}
      autoFocus={autoFocus}
      helperText={helperText}
      required
      fullWidth
      margin="normal"
      slotProps={{
        htmlInput: { 'data-testid': testId, maxLength: 256 },
        input: {
          endAdornment: (
            <InputAdornment position="end">
              <IconButton onClick={() => setShown((s) => !s)} aria-label={shown ? t.common.hidePassword : t.common.showPassword} aria-pressed={shown} edge="end">
                {shown ? <VisibilityOff /> : <Visibility />}
              </IconButton>
            </InputAdornment>
          ),
        },
      }}
    />
  );
}
