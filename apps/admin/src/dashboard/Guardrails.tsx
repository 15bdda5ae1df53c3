import { Card, CardActionArea, CardContent, CardHeader, Table, TableBody, TableCell, TableRow } from '@mui/material';
import ReportProblemIcon from '@mui/icons-material/ReportProblem';
import { useTranslate } from 'react-admin';
import type { ResetStatus, Stats } from '../types';
import { StatCard } from './StatCard';

const AT_RISK_LIST = `#/customers?filter=${encodeURIComponent(JSON.stringify({ atRisk: true }))}`;
const RESET_STATES: ResetStatus[] = ['awaiting_approval', 'scheduled', 'executed', 'cancelled', 'expired'];

/** Customers one failure away from a lockout; a click lists them. */
export const AtRiskCard = ({ atRisk }: { atRisk: number }) => {
  const translate = useTranslate();
  return (
    <CardActionArea href={AT_RISK_LIST} sx={{ flex: '1 1 200px', display: 'flex', alignItems: 'stretch', borderRadius: 1 }} data-testid="stat-at-risk-link">
      <StatCard testId="stat-at-risk" label={translate('twofold.dashboard.at_risk')} value={atRisk} icon={<ReportProblemIcon fontSize="large" />} tone="warning" />
    </CardActionArea>
  );
};

const CountTable = ({ rows, testId }: { rows: { key: string; label: string; value: number }[]; testId: string }) => (
  <Table size="small">
    <TableBody>
      {rows.map((row) => (
        <TableRow key={row.key} data-testid={`${testId}-${row.key}`}>
          <TableCell component="th" scope="row">
            {row.label}
          </TableCell>
          <TableCell align="right">{row.value.toLocaleString()}</TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);

export const FailingChannelsCard = ({ failing }: { failing: Stats['failingChannels'] }) => {
  const translate = useTranslate();
  const rows = failing.map((row) => ({
    key: row.channel,
    label: translate('twofold.dashboard.failing_channel', { channel: translate(`twofold.factor_type.${row.channel}`), provider: row.provider }),
    value: row.count,
  }));
  return (
    <Card sx={{ flex: '1 1 260px' }} data-testid="stats-failing-channels">
      <CardHeader title={translate('twofold.dashboard.failing_channels')} slotProps={{ title: { variant: 'subtitle1', component: 'h2' } }} />
      <CardContent sx={{ pt: 0 }}>
        <CountTable rows={rows} testId="failing" />
      </CardContent>
    </Card>
  );
};

export const ResetsByStateCard = ({ resets }: { resets: Stats['resets'] }) => {
  const translate = useTranslate();
  const rows = RESET_STATES.map((state) => ({ key: state, label: translate(`twofold.resets.status.${state}`), value: resets[state] ?? 0 }));
  return (
    <Card sx={{ flex: '1 1 260px' }} data-testid="stats-resets">
      <CardHeader title={translate('twofold.dashboard.resets')} slotProps={{ title: { variant: 'subtitle1', component: 'h2' } }} />
      <CardContent sx={{ pt: 0 }}>
        <CountTable rows={rows} testId="resets" />
      </CardContent>
    </Card>
  );
};
