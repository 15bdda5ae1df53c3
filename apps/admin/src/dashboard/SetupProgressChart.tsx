import { Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip } from 'recharts';
import { useTranslate } from 'react-admin';
import type { Stats } from '../types';
import { ChartCard } from './ChartCard';
import { COLORS } from './chartColors';

/** Where customers stand in setting up 2FA, highlighting those still missing a secondary factor. */
export const SetupProgressChart = ({ customers }: { customers: Stats['customers'] }) => {
  const translate = useTranslate();
  const data = [
    { name: translate('twofold.dashboard.complete'), value: customers.complete, color: COLORS.success },
    { name: translate('twofold.dashboard.missing_secondary'), value: customers.missingSecondary, color: COLORS.warning },
    { name: translate('twofold.dashboard.without_factors'), value: customers.withoutFactors, color: COLORS.neutral },
  ];
  return (
    <ChartCard title={translate('twofold.dashboard.setup_progress')} testId="chart-setup-progress">
      <ResponsiveContainer width="100%" height="100%">
        <PieChart>
          <Pie data={data} dataKey="value" nameKey="name" innerRadius="45%" outerRadius="80%" label>
            {data.map((entry) => (
              <Cell key={entry.name} fill={entry.color} />
            ))}
          </Pie>
          <Tooltip />
          <Legend />
        </PieChart>
      </ResponsiveContainer>
    </ChartCard>
  );
};
