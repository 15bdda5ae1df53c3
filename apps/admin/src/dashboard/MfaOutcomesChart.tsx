import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslate } from 'react-admin';
import type { DailyStats } from '../types';
import { ChartCard } from './ChartCard';
import { COLORS, shortDate } from './chartColors';

export const MfaOutcomesChart = ({ daily }: { daily: DailyStats[] }) => {
  const translate = useTranslate();
  return (
    <ChartCard title={translate('twofold.dashboard.mfa_outcomes')} testId="chart-mfa-outcomes">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={daily}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="date" tickFormatter={shortDate} minTickGap={16} />
          <YAxis allowDecimals={false} />
          <Tooltip labelFormatter={(label) => shortDate(String(label))} />
          <Legend />
          <Line type="monotone" dataKey="mfaSuccess" name={translate('twofold.dashboard.success')} stroke={COLORS.success} dot={false} />
          <Line type="monotone" dataKey="mfaFailure" name={translate('twofold.dashboard.failure')} stroke={COLORS.failure} dot={false} />
        </LineChart>
      </ResponsiveContainer>
    </ChartCard>
  );
};
