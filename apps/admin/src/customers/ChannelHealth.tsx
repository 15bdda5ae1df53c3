import { Box, Chip } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { FactorSummary } from '../types';

/** Whether messages to an SMS or email factor arrive; an authenticator app has no channel. */
export const ChannelHealthChip = ({ factor }: { factor: FactorSummary }) => {
  const translate = useTranslate();
  if (!factor.health) return <span>—</span>;
  const failing = factor.health.status === 'failing';
  return (
    <Chip
      size="small"
      color={failing ? 'error' : 'success'}
      variant={failing ? 'filled' : 'outlined'}
      label={
        failing
          ? translate('twofold.customers.health_failing', { smart_count: factor.health.failuresInRow })
          : translate('twofold.customers.health_ok')
      }
      data-testid="factor-health"
      data-health={factor.health.status}
    />
  );
};

/** The provider's last word on a message to the channel, under the health chip. */
export const LastDelivery = ({ factor }: { factor: FactorSummary }) => {
  const translate = useTranslate();
  if (!factor.health?.lastDeliveryAt) return null;
  return (
    <Box sx={{ color: 'text.secondary', typography: 'caption', mt: 0.5, whiteSpace: 'nowrap' }} data-testid="factor-last-delivery">
      {translate('twofold.customers.last_delivery', { status: factor.health.lastDeliveryStatus ?? '' })}
      <br />
      {new Date(factor.health.lastDeliveryAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}
    </Box>
  );
};
