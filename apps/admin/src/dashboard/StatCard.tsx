import type { ReactNode } from 'react';
import { Box, Card, CardContent, Typography } from '@mui/material';

interface StatCardProps {
  label: string;
  value: number;
  icon: ReactNode;
  testId: string;
  tone?: 'default' | 'warning';
}

export const StatCard = ({ label, value, icon, testId, tone = 'default' }: StatCardProps) => (
  <Card sx={{ flex: '1 1 180px' }} data-testid={testId}>
    <CardContent sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
      <Box sx={{ color: tone === 'warning' && value > 0 ? 'warning.main' : 'primary.main', display: 'flex' }}>{icon}</Box>
      <Box>
        <Typography variant="body2" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h5" component="p" data-testid={`${testId}-value`}>
          {value.toLocaleString()}
        </Typography>
      </Box>
    </CardContent>
  </Card>
);
