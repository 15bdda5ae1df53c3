import { Alert, Box, CircularProgress } from '@mui/material';
import GroupIcon from '@mui/icons-material/Group';
import VerifiedUserIcon from '@mui/icons-material/VerifiedUser';
import PlaylistAddIcon from '@mui/icons-material/PlaylistAdd';
import NoEncryptionIcon from '@mui/icons-material/NoEncryption';
import LockClockIcon from '@mui/icons-material/LockClock';
import { Title, useTranslate } from 'react-admin';
import { FailedDeliveries } from '../deliveries';
import { describeApiError } from '../httpClient';
import { DeliveriesChart } from './DeliveriesChart';
import { FactorAdoptionChart } from './FactorAdoptionChart';
import { AtRiskCard, FailingChannelsCard, ResetsByStateCard } from './Guardrails';
import { Last24Hours } from './Last24Hours';
import { MfaOutcomesChart } from './MfaOutcomesChart';
import { SetupProgressChart } from './SetupProgressChart';
import { StatCard } from './StatCard';
import { useStats } from './useStats';

const rowSx = { display: 'flex', flexWrap: 'wrap', gap: 2, mt: 2 } as const;

export const Dashboard = () => {
  const translate = useTranslate();
  const { data: stats, error, isPending } = useStats();
  return (
    <Box sx={{ pb: 2 }}>
      <Title title={translate('twofold.dashboard.title')} />
      {isPending ? <CircularProgress sx={{ m: 4 }} /> : null}
      {error ? <Alert severity="error" sx={{ mt: 2 }}>{describeApiError(error)}</Alert> : null}
      {stats ? (
        <>
          <Box sx={rowSx}>
            <StatCard testId="stat-customers-total" label={translate('twofold.dashboard.total')} value={stats.customers.total} icon={<GroupIcon fontSize="large" />} />
            <StatCard testId="stat-customers-complete" label={translate('twofold.dashboard.complete')} value={stats.customers.complete} icon={<VerifiedUserIcon fontSize="large" />} />
            <StatCard testId="stat-customers-missing-secondary" label={translate('twofold.dashboard.missing_secondary')} value={stats.customers.missingSecondary} icon={<PlaylistAddIcon fontSize="large" />} tone="warning" />
            <StatCard testId="stat-customers-without-factors" label={translate('twofold.dashboard.without_factors')} value={stats.customers.withoutFactors} icon={<NoEncryptionIcon fontSize="large" />} tone="warning" />
            <StatCard testId="stat-customers-locked" label={translate('twofold.dashboard.locked')} value={stats.customers.locked} icon={<LockClockIcon fontSize="large" />} tone="warning" />
          </Box>
          <Box sx={rowSx}>
            <FactorAdoptionChart factors={stats.factors} />
            <SetupProgressChart customers={stats.customers} />
            <Last24Hours last24h={stats.last24h} recoveryCodesLow={stats.recoveryCodesLow} />
          </Box>
          <Box sx={rowSx}>
            <AtRiskCard atRisk={stats.atRisk} />
            <FailingChannelsCard failing={stats.failingChannels} />
            <ResetsByStateCard resets={stats.resets} />
          </Box>
          <Box sx={rowSx}>
            <MfaOutcomesChart daily={stats.daily} />
            <DeliveriesChart daily={stats.daily} />
          </Box>
          <Box sx={rowSx}>
            <FailedDeliveries />
          </Box>
        </>
      ) : null}
    </Box>
  );
};
