import { useState } from 'react';
import { Alert, Box, Button, Checkbox, FormControlLabel, Stack, Typography } from '@mui/material';
import ContentCopy from '@mui/icons-material/ContentCopy';
import Download from '@mui/icons-material/Download';
import Print from '@mui/icons-material/Print';
import { t } from '../i18n';

interface RecoveryCodesPanelProps {
  codes: string[];
  generatedAt: string;
  onDone: () => void;
  doneLabel?: string;
}

/**
 * Recovery codes shown once: copy, download as a text file, or print (only the codes print).
 * Moving on needs the "saved them" box ticked.
 */
export function RecoveryCodesPanel({ codes, generatedAt, onDone, doneLabel = t.recoveryCodes.done }: RecoveryCodesPanelProps) {
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  const text = [t.recoveryCodes.fileHeading(generatedAt), '', ...codes].join('\n');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setCopied(true);
    } catch {
      setCopied(false); // no clipboard (insecure origin or denied): download and print still work
    }
  };

  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = t.recoveryCodes.fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <Box data-testid="recovery-codes">
      <Typography sx={{ mb: 2 }}>{t.recoveryCodes.intro(codes.length)}</Typography>
      <Box className="print-area" sx={{ border: 1, borderColor: 'divider', borderRadius: 2, p: 2, bgcolor: 'background.paper' }}>
        <Typography variant="subtitle2" component="h2" sx={{ mb: 1 }} className="print-only-heading">
          {t.recoveryCodes.listLabel}
        </Typography>
        <Box
          component="ol"
          aria-label={t.recoveryCodes.listLabel}
          sx={{ columns: 2, columnGap: 4, m: 0, pl: 4, fontFamily: 'monospace', fontSize: '1.1rem', lineHeight: 2 }}
        >
          {codes.map((code) => (
            <li key={code} data-testid="recovery-code">
              {code}
            </li>
          ))}
        </Box>
      </Box>
      <Stack direction="row" spacing={1} sx={{ my: 2, flexWrap: 'wrap' }} className="no-print">
        <Button variant="outlined" startIcon={<ContentCopy aria-hidden />} onClick={() => void copy()} data-testid="recovery-codes-copy">
          {t.recoveryCodes.copy}
        </Button>
        <Button variant="outlined" startIcon={<Download aria-hidden />} onClick={download} data-testid="recovery-codes-download">
          {t.recoveryCodes.download}
        </Button>
        <Button variant="outlined" startIcon={<Print aria-hidden />} onClick={() => window.print()} data-testid="recovery-codes-print">
          {t.recoveryCodes.print}
        </Button>
      </Stack>
      <div aria-live="polite">{copied && <Alert severity="success" sx={{ mb: 2 }}>{t.recoveryCodes.copied}</Alert>}</div>
      <Box className="no-print">
        <FormControlLabel
          control={<Checkbox checked={saved} onChange={(event) => setSaved(event.target.checked)} slotProps={{ input: { 'data-testid': 'recovery-codes-saved' } as object }} />}
          label={t.recoveryCodes.saved}
        />
        <Box sx={{ mt: 2 }}>
          <Button variant="contained" size="large" disabled={!saved} onClick={onDone} data-testid="recovery-codes-done">
            {doneLabel}
          </Button>
        </Box>
      </Box>
    </Box>
  );
}
