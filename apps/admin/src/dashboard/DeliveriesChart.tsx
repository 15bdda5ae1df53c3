import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslate } from 'react-admin';
import type { DailyStats } from '../types';
import { ChartCard } from './ChartCard';
import { COLORS, shortDate } from './chartColors';

const SERIES = [
  { key: 'smsSent', label: 'twofold.dashboard.sms_sent', color: COLORS.sms, stack: 'sms' },
  { key: 'smsFailed', label: 'twofold.dashboard.sms_failed', color: COLORS.smsFailed, stack: 'sms' },
  { key: 'emailSent', label: 'twofold.dashboard.email_sent', color: COLORS.email, stack: 'email' },
  { key: 'emailFailed', label: 'twofold.dashboard.email_failed', color: COLORS.emailFailed, stack: 'email' },
] as const;

export const DeliveriesChart = ({ daily }: { daily: DailyStats[] }) => {
  const translate = useTranslate();
  return (
    <ChartCard title={translate('twofold.dashboard.deliveries')} testId="chart-deliveries">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={daily}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="date" tickFormatter={shortDate} minTickGap={16} />
          <YAxis allowDecimals={false} />
          <Tooltip labelFormatter={(label) => shortDate(String(label))} />
          <Legend />
          {SERIES.map((series) => (
            <Bar key={series.key} dataKey={series.key} name={translate(series.label)} fill={series.color} stackId={series.stack} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
};
