import { useState } from 'react';
import { Alert, Box, Button, Checkbox, FormControlLabel } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { useTranslate } from 'react-admin';
import { RecoveryCodeList } from './RecoveryCodeList';

interface RecoveryCodesStepProps {
  codes: string[];
  onContinue: () => void;
}

/** Shown once, right after enrolment: the API never returns these codes again. */
export const RecoveryCodesStep = ({ codes, onContinue }: RecoveryCodesStepProps) => {
  const translate = useTranslate();
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);

  const copy = () => {
    navigator.clipboard.writeText(codes.join('\n')).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };

  return (
    <Box>
      <Alert severity="warning" sx={{ mb: 2 }}>
        {translate('twofold.recovery.explain')}
      </Alert>
      <RecoveryCodeList codes={codes} label={translate('twofold.recovery.title')} />
      <Button startIcon={<ContentCopyIcon />} onClick={copy} size="small" data-testid="recovery-codes-copy">
        {translate(copied ? 'twofold.recovery.copied' : 'twofold.recovery.copy')}
      </Button>
      <FormControlLabel
        sx={{ display: 'flex', mt: 1 }}
        control={
          <Checkbox
            checked={saved}
            onChange={(event) => setSaved(event.target.checked)}
            slotProps={{ input: { 'data-testid': 'recovery-codes-saved' } as object }}
          />
        }
        label={translate('twofold.recovery.saved')}
      />
      <Button variant="contained" fullWidth disabled={!saved} onClick={onContinue} data-testid="recovery-codes-continue">
        {translate('twofold.recovery.continue')}
      </Button>
    </Box>
  );
};
