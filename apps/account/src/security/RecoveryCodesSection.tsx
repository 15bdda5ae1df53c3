import { useState } from 'react';
import { Alert, Button, Dialog, DialogContent, DialogTitle, Typography } from '@mui/material';
import { accountApi } from '../api/account-api';
import type { NewRecoveryCodes, RecoveryCodeStatus } from '../api/types';
import { describeError } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { RecoveryCodesPanel } from '../components/RecoveryCodesPanel';
import { useStepUp } from '../step-up/StepUpProvider';
import { t } from '../i18n';
import { ConfirmDialog } from './ConfirmDialog';
import { Section } from './Section';

/** How many recovery codes are left, and a new set (shown once) on request. */
export function RecoveryCodesSection({ status, reload }: { status: RecoveryCodeStatus; reload: () => Promise<void> }) {
  const withStepUp = useStepUp();
  const [confirming, setConfirming] = useState(false);
  const [fresh, setFresh] = useState<NewRecoveryCodes | null>(null);
  const [error, setError] = useState<string | null>(null);

  const regenerate = async () => {
    setConfirming(false);
    setError(null);
    try {
      setFresh(await withStepUp(() => accountApi.regenerateRecoveryCodes()));
    } catch (failure) {
      setError(describeError(failure));
    }
    await reload();
  };

  return (
    <Section id="recovery" title={t.security.recoveryTitle}>
      <Typography sx={{ fontWeight: 600 }} data-testid="recovery-remaining" data-remaining={status.remaining}>
        {t.security.recoveryStatus(status.remaining, status.total)}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {t.security.recoveryGenerated(status.generatedAt)}
      </Typography>
      {status.remaining <= 3 && (
        <Alert severity="warning" sx={{ mt: 2 }}>
          {t.security.recoveryLow}
        </Alert>
      )}
      <ErrorAlert message={error} testId="recovery-error" />
      <Button variant="outlined" sx={{ mt: 2 }} onClick={() => setConfirming(true)} data-testid="regenerate-codes">
        {t.security.regenerate}
      </Button>
      <ConfirmDialog
        open={confirming}
        title={t.security.regenerateTitle}
        body={t.security.regenerateBody}
        confirmLabel={t.security.regenerate}
        onClose={() => setConfirming(false)}
        onConfirm={() => void regenerate()}
      />
      <Dialog open={fresh !== null} aria-labelledby="new-codes-title" fullWidth maxWidth="sm" data-testid="new-codes-dialog">
        <DialogTitle id="new-codes-title">{t.security.newCodesTitle}</DialogTitle>
        <DialogContent>{fresh && <RecoveryCodesPanel codes={fresh.codes} generatedAt={fresh.generatedAt} onDone={() => setFresh(null)} />}</DialogContent>
      </Dialog>
    </Section>
  );
}
