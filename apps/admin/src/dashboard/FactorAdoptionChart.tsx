import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslate } from 'react-admin';
import type { Stats } from '../types';
import { ChartCard } from './ChartCard';
import { COLORS } from './chartColors';

export const FactorAdoptionChart = ({ factors }: { factors: Stats['factors'] }) => {
  const translate = useTranslate();
  const data = [
    { type: translate('twofold.factor_type.totp'), primary: factors.primary.totp, secondary: factors.secondary.totp },
    { type: translate('twofold.factor_type.sms'), primary: factors.primary.sms, secondary: factors.secondary.sms },
    { type: translate('twofold.factor_type.email'), primary: 0, secondary: factors.secondary.email },
  ];
  return (
    <ChartCard title={translate('twofold.dashboard.factor_adoption')} testId="chart-factor-adoption">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="type" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="primary" name={translate('twofold.factor_role.primary')} fill={COLORS.primary} />
          <Bar dataKey="secondary" name={translate('twofold.factor_role.secondary')} fill={COLORS.secondary} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
};
