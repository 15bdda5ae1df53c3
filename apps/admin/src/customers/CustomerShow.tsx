import { Box, Divider } from '@mui/material';
import {
  BooleanField,
  DateField,
  Labeled,
  Show,
  TextField,
  TopToolbar,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { CustomerDeliveries } from '../deliveries';
import type { CustomerDetail } from '../types';
import { CustomerAuditTrail } from './CustomerAuditTrail';
import { FactorPanel } from './FactorPanel';
import { PendingResetPanel } from './PendingResetPanel';
import { LockState, RecoveryCodesRemaining, RECOVERY_CODES_LOW } from './customerFields';
import { ResetMfaButton } from './ResetMfaButton';
import { UnlockButton } from './UnlockButton';

const CustomerTitle = () => {
  const customer = useRecordContext<CustomerDetail>();
  return <span>{customer?.email ?? ''}</span>;
};

const CustomerActions = () => (
  <TopToolbar>
    <UnlockButton />
    <ResetMfaButton />
  </TopToolbar>
);

const CustomerSummary = () => {
  const translate = useTranslate();
  const customer = useRecordContext<CustomerDetail>();
  if (!customer) return null;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: 2 }} data-testid="customer-summary">
      <Labeled source="email"><TextField source="email" /></Labeled>
      <Labeled source="id"><TextField source="id" /></Labeled>
      <Labeled source="createdAt"><DateField source="createdAt" showTime /></Labeled>
      <Labeled source="lastLoginAt"><DateField source="lastLoginAt" showTime emptyText="—" /></Labeled>
      <Labeled source="mfaComplete"><BooleanField source="mfaComplete" /></Labeled>
      <Labeled source="recoveryCodesRemaining">
        <Box>
          <RecoveryCodesRemaining customer={customer} />
          {customer.recoveryCodesRemaining <= RECOVERY_CODES_LOW ? (
            <Box component="span" sx={{ ml: 1, color: 'warning.dark', typography: 'caption' }}>
              {translate('twofold.customers.recovery_codes_low')}
            </Box>
          ) : null}
        </Box>
      </Labeled>
      <Labeled source="lockedUntil"><LockState customer={customer} /></Labeled>
    </Box>
  );
};

export const CustomerShow = () => (
  <Show title={<CustomerTitle />} actions={<CustomerActions />} queryOptions={{ refetchOnMount: 'always' }}>
    <Box sx={{ p: 2 }}>
      <CustomerSummary />
      <PendingResetPanel />
      <Divider sx={{ my: 2 }} />
      <FactorPanel />
      <Divider sx={{ my: 2 }} />
      <CustomerDeliveries />
      <Divider sx={{ my: 2 }} />
      <CustomerAuditTrail />
    </Box>
  </Show>
);
