import type { ReactNode } from 'react';
import { Card, CardContent, CardHeader } from '@mui/material';

/** A titled card with a fixed-height area for a responsive chart. */
export const ChartCard = ({ title, children, testId }: { title: string; children: ReactNode; testId: string }) => (
  <Card sx={{ flex: '1 1 420px', minWidth: 0 }} data-testid={testId}>
    <CardHeader title={title} slotProps={{ title: { variant: 'subtitle1', component: 'h2' } }} />
    <CardContent sx={{ height: 280, pt: 0 }}>{children}</CardContent>
  </Card>
);
