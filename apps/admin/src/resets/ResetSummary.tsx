import { Box, Link, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { PendingReset } from '../types';
import { Countdown } from './Countdown';
import { ResetStatusChip } from './ResetStatusChip';

const formatDate = (value: string | null) => (value ? new Date(value).toLocaleString() : '—');

const Item = ({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) => (
  <Box data-testid={testId}>
    <Typography variant="caption" color="text.secondary" component="p">
      {label}
    </Typography>
    <Typography variant="body2" component="div">
      {children}
    </Typography>
  </Box>
);

/** Who asked, who approved, and what happens when: the facts a second supervisor decides on. */
export const ResetSummary = ({ reset, showCustomer = true }: { reset: PendingReset; showCustomer?: boolean }) => {
  const translate = useTranslate();
  const cancelledBy = reset.cancelledBy
    ? translate(`twofold.resets.cancelled_by_${reset.cancelledBy.type === 'staff' ? 'staff' : reset.cancelledBy.via === 'cancel_token' ? 'token' : 'customer'}`)
    : null;
  return (
    <Box
      sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: 2, overflowWrap: 'anywhere' }}
      data-testid="reset-summary"
      data-reset-id={reset.id}
    >
      <Item label={translate('resources.resets.fields.status')}>
        <ResetStatusChip status={reset.status} />
      </Item>
      {showCustomer ? (
        <Item label={translate('resources.resets.fields.customerEmail')}>
          <Link href={`#/customers/${reset.customerId}/show`}>{reset.customerEmail ?? reset.customerId}</Link>
        </Item>
      ) : null}
      <Item label={translate('twofold.resets.requested_by')} testId="reset-requested-by">
        {reset.requestedByEmail ?? reset.requestedBy}
      </Item>
      <Item label={translate('twofold.resets.verification')}>{translate(`twofold.verification.${reset.verification}`)}</Item>
      <Item label={translate('twofold.resets.approved_by')} testId="reset-approved-by">
        {reset.approvedByEmail ?? (reset.status === 'awaiting_approval' ? translate('twofold.resets.awaiting_second') : '—')}
      </Item>
      <Item label={translate('resources.resets.fields.createdAt')}>{formatDate(reset.createdAt)}</Item>
      {reset.status === 'awaiting_approval' ? (
        <Item label={translate('resources.resets.fields.approvalExpiresAt')}>{formatDate(reset.approvalExpiresAt)}</Item>
      ) : null}
      {reset.status === 'scheduled' ? (
        <Item label={translate('resources.resets.fields.executesAt')}>
          <Countdown at={reset.executesAt} />
        </Item>
      ) : null}
      {reset.executedAt ? <Item label={translate('resources.resets.fields.executedAt')}>{formatDate(reset.executedAt)}</Item> : null}
      {reset.cancelledAt ? (
        <Item label={translate('resources.resets.fields.cancelledAt')} testId="reset-cancelled-by">
          {formatDate(reset.cancelledAt)} · {cancelledBy}
          {reset.cancelReason ? ` — ${reset.cancelReason}` : ''}
        </Item>
      ) : null}
      <Box sx={{ gridColumn: '1 / -1' }}>
        <Item label={translate('resources.resets.fields.reason')}>{reset.reason}</Item>
      </Box>
    </Box>
  );
};
