import { Chip } from '@mui/material';
import type { Delivery } from '../types';

const COLORS: Record<Delivery['status'], 'default' | 'success' | 'error' | 'warning' | 'info'> = {
  pending: 'info', enqueued: 'info', sending: 'info', sent: 'success', delivered: 'success', failed: 'error', expired: 'warning',
};

/** The delivery's state; a waiting retry shows as "pending" with its last failure as the reason. */
export const DeliveryStatusChip = ({ delivery }: { delivery: Delivery }) => (
  <Chip size="small" variant="outlined" color={COLORS[delivery.status] ?? 'default'} label={delivery.status} data-testid="delivery-status" />
);
