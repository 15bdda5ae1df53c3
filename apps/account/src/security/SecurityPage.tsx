import { useCallback, useEffect, useState } from 'react';
import { Link as RouterLink, useLocation, useNavigate } from 'react-router-dom';
import { Alert, AlertTitle, Box, Button, Typography } from '@mui/material';
import { accountApi } from '../api/account-api';
import type { FactorsOverview, Me } from '../api/types';
import { describeError } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageLayout } from '../components/PageLayout';
import { t } from '../i18n';
import { DevicesSection } from './DevicesSection';
import { MethodsSection } from './MethodsSection';
import { PasswordSection } from './PasswordSection';
import { RecoveryCodesSection } from './RecoveryCodesSection';
import { SessionsSection } from './SessionsSection';

/** The security page: methods, recovery codes, sign-ins, remembered devices, a pending support reset, password. */
export function SecurityPage({ onSignOut }: { onSignOut: () => void }) {
  const navigate = useNavigate();
  const location = useLocation();
  const [me, setMe] = useState<Me | null>(null);
  const [overview, setOverview] = useState<FactorsOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>((location.state as { notice?: string } | null)?.notice ?? null);

  const reload = useCallback(async () => {
    try {
      const [account, factors] = await Promise.all([accountApi.me(), accountApi.factors()]);
      setMe(account);
      setOverview(factors);
    } catch (failure) {
      setError(describeError(failure));
    }
  }, []);
  useEffect(() => void reload(), [reload]);
  // The notice came with the navigation: do not show it again on reload or back.
  useEffect(() => {
    if (location.state) void navigate('.', { replace: true, state: null });
  }, [location.state, navigate]);

  const cancelReset = async () => {
    setError(null);
    try {
      await accountApi.cancelPendingReset();
      setNotice(t.security.resetCancelled);
    } catch (failure) {
      setError(describeError(failure));
    }
    await reload();
  };

  return (
    <PageLayout title={t.security.title} wide onSignOut={onSignOut}>
      {me && (
        <Typography color="text.secondary" sx={{ mb: 2 }} data-testid="signed-in-as">
          {t.security.signedInAs(me.email)}
        </Typography>
      )}
      <Box aria-live="polite">
        {notice && (
          <Alert severity="success" onClose={() => setNotice(null)} sx={{ mb: 2 }} data-testid="notice">
            {notice}
          </Alert>
        )}
      </Box>
      <ErrorAlert message={error} />

      {me?.pendingReset && (
        <Alert severity="error" sx={{ mb: 3 }} data-testid="pending-reset" action={
          <Button color="inherit" variant="outlined" onClick={() => void cancelReset()} data-testid="cancel-reset">
            {t.security.cancelReset}
          </Button>
        }>
          <AlertTitle>{t.security.pendingResetTitle}</AlertTitle>
          {t.security.pendingResetBody(me.pendingReset.executesAt)}
        </Alert>
      )}

      {overview && !overview.complete && (
        <Alert severity="warning" sx={{ mb: 3 }} action={<Button component={RouterLink} to="/setup" color="inherit">{t.security.finishSetup}</Button>}>
          {t.security.setupIncomplete}
        </Alert>
      )}

      {overview && me && <MethodsSection overview={overview} email={me.email} reload={reload} notify={setNotice} />}
      {overview && <RecoveryCodesSection status={overview.recoveryCodes} reload={reload} />}
      {me && <SessionsSection notify={setNotice} />}
      {me && <DevicesSection notify={setNotice} />}
      {me && <PasswordSection notify={setNotice} />}
    </PageLayout>
  );
}
