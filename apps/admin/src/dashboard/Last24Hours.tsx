import { Card, CardContent, CardHeader, Table, TableBody, TableCell, TableRow } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { Stats } from '../types';

export const Last24Hours = ({ last24h, recoveryCodesLow }: { last24h: Stats['last24h']; recoveryCodesLow: number }) => {
  const translate = useTranslate();
  const rows: [string, number][] = [
    [translate('twofold.dashboard.success'), last24h.mfaSuccess],
    [translate('twofold.dashboard.failure'), last24h.mfaFailure],
    [translate('twofold.dashboard.sms_sent'), last24h.deliveries.sms.sent],
    [translate('twofold.dashboard.sms_failed'), last24h.deliveries.sms.failed],
    [translate('twofold.dashboard.email_sent'), last24h.deliveries.email.sent],
    [translate('twofold.dashboard.email_failed'), last24h.deliveries.email.failed],
    [translate('twofold.dashboard.recovery_codes_low'), recoveryCodesLow],
  ];
  return (
    <Card sx={{ flex: '1 1 260px' }} data-testid="stats-last24h">
      <CardHeader title={translate('twofold.dashboard.last24h')} slotProps={{ title: { variant: 'subtitle1', component: 'h2' } }} />
      <CardContent sx={{ pt: 0 }}>
        <Table size="small">
          <TableBody>
            {rows.map(([label, value]) => (
              <TableRow key={label}>
                <TableCell component="th" scope="row">
                  {label}
                </TableCell>
                <TableCell align="right">{value.toLocaleString()}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
};
