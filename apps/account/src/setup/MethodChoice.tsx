import { Box, Chip, FormControl, FormControlLabel, FormLabel, Radio, RadioGroup, Stack, Typography } from '@mui/material';
import { MethodIcon, methodName } from '../components/methods';
import { t } from '../i18n';

interface MethodChoiceProps {
  legend: string;
  types: string[];
  value: string;
  onChange: (type: string) => void;
  email: string;
}

const description = (type: string, email: string): string =>
  type === 'totp'
    ? t.methods.totpDescription
    : type === 'sms'
      ? t.methods.smsDescription
      : type === 'passkey'
        ? t.methods.passkeyDescription
        : t.methods.emailDescription(email);

/** A radio group of methods (arrow keys move between them), each with what it means in practice. */
export function MethodChoice({ legend, types, value, onChange, email }: MethodChoiceProps) {
  return (
    <FormControl component="fieldset" fullWidth>
      <FormLabel component="legend" sx={{ mb: 1, fontWeight: 600, color: 'text.primary' }}>
        {legend}
      </FormLabel>
      <RadioGroup value={value} onChange={(event) => onChange(event.target.value)}>
        {types.map((type) => (
          <Box
            key={type}
            sx={{ border: 2, borderColor: value === type ? 'primary.main' : 'divider', borderRadius: 2, mb: 1.5, px: 2, py: 1 }}
          >
            <FormControlLabel
              value={type}
              control={<Radio slotProps={{ input: { 'data-testid': `method-${type}`, 'aria-describedby': `method-${type}-description` } as object }} />}
              label={
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <MethodIcon type={type} />
                  <Typography component="span" sx={{ fontWeight: 600 }}>
                    {methodName(type)}
                  </Typography>
                  {type === 'totp' && <Chip size="small" color="success" label={t.methods.recommended} />}
                </Stack>
              }
            />
            <Typography id={`method-${type}-description`} variant="body2" color="text.secondary" sx={{ ml: 4, mb: 0.5 }}>
              {description(type, email)}
            </Typography>
          </Box>
        ))}
      </RadioGroup>
    </FormControl>
  );
}
