import { useState } from 'react';
import { Alert, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle } from '@mui/material';
import LinkIcon from '@mui/icons-material/Link';
import { useDataProvider, useTranslate } from 'react-admin';
import type { TwofoldDataProvider } from '../dataProvider';
import { describeApiError } from '../httpClient';
import { useHasRole } from '../roles';
import type { AuditVerification } from '../types';

/** Re-checks the audit log's hash chain on the server (supervisors and admins). */
export const VerifyChainButton = () => {
  const translate = useTranslate();
  const dataProvider = useDataProvider<TwofoldDataProvider>();
  const allowed = useHasRole('supervisor');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!allowed) return null;

  const verify = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await dataProvider.verifyAudit());
    } catch (caught) {
      setError(describeApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  const open = result !== null || error !== null;
  return (
    <>
      <Button
        size="small"
        startIcon={busy ? <CircularProgress size={16} /> : <LinkIcon />}
        onClick={() => void verify()}
        disabled={busy}
        data-testid="verify-chain-button"
      >
        {translate('twofold.audit.verify_chain')}
      </Button>
      <Dialog open={open} onClose={() => { setResult(null); setError(null); }} aria-labelledby="verify-chain-title">
        <DialogTitle id="verify-chain-title">{translate('twofold.audit.verify_chain')}</DialogTitle>
        <DialogContent>
          {error ? <Alert severity="error">{error}</Alert> : null}
          {result ? (
            <Alert
              severity={result.valid ? 'success' : 'error'}
              data-testid="verify-chain-result"
              data-valid={String(result.valid)}
              data-count={result.count}
              data-first-broken-id={result.firstBrokenId ?? ''}
            >
              {result.valid
                ? translate('twofold.audit.chain_valid', { count: result.count })
                : translate('twofold.audit.chain_broken', { count: result.count, id: result.firstBrokenId ?? '?' })}
            </Alert>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => { setResult(null); setError(null); }} data-testid="verify-chain-close">
            {translate('ra.action.close')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
