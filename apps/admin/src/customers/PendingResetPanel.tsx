import { Alert, Box, Link, Typography } from '@mui/material';
import { useGetList, useRecordContext, useTranslate } from 'react-admin';
import { ResetActions } from '../resets/ResetActions';
import { ResetSummary } from '../resets/ResetSummary';
import type { CustomerDetail, PendingReset } from '../types';

/**
 * The customer's latest whole-reset request, if any: its state, who asked and approved, and the
 * countdown the customer has to stop it.
 */
export const PendingResetPanel = () => {
  const translate = useTranslate();
  const customer = useRecordContext<CustomerDetail>();
  const { data } = useGetList<PendingReset>(
    'resets',
    { filter: { customerId: customer?.id }, sort: { field: 'createdAt', order: 'DESC' }, pagination: { page: 1, perPage: 1 } },
    { enabled: Boolean(customer?.id) },
  );
  const reset = data?.[0];
  if (!reset) return null;
  const open = reset.status === 'awaiting_approval' || reset.status === 'scheduled';
  return (
    <Box component="section" aria-labelledby="pending-reset-title" data-testid="pending-reset-panel" data-status={reset.status} sx={{ mt: 2 }}>
      <Typography variant="h6" component="h2" id="pending-reset-title" gutterBottom>
        {translate(open ? 'twofold.resets.pending_title' : 'twofold.resets.latest_title')}
      </Typography>
      {reset.status === 'scheduled' ? (
        <Alert severity="warning" sx={{ mb: 1 }}>
          {translate('twofold.resets.scheduled_explain')}
        </Alert>
      ) : null}
      <ResetSummary reset={reset} showCustomer={false} />
      <Box sx={{ mt: 1, display: 'flex', gap: 2, alignItems: 'center' }}>
        <ResetActions reset={reset} />
        <Link href={`#/resets/${reset.id}/show`} variant="body2">
          {translate('twofold.resets.open')}
        </Link>
      </Box>
    </Box>
  );
};
