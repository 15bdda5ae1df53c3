import {
  DataTable,
  DateField,
  List,
  NullableBooleanInput,
  SearchInput,
  SelectInput,
  BooleanField,
  useTranslate,
} from 'react-admin';
import type { CustomerRow } from '../types';
import { FactorTypeChip } from './FactorTypeChip';
import { LockState, RecoveryCodesRemaining, SecondaryTypes, SHORT_DATE_TIME } from './customerFields';

const PRIMARY_TYPE_CHOICES = [
  { id: 'totp', name: 'twofold.factor_type.totp' },
  { id: 'sms', name: 'twofold.factor_type.sms' },
  { id: 'passkey', name: 'twofold.factor_type.passkey' },
];

const useCustomerFilters = () => {
  const translate = useTranslate();
  return [
    <SearchInput
      key="q"
      source="q"
      alwaysOn
      placeholder={translate('twofold.customers.search')}
      slotProps={{ htmlInput: { 'data-testid': 'customer-search', 'aria-label': translate('twofold.customers.search') } }}
    />,
    <NullableBooleanInput key="mfaComplete" source="mfaComplete" />,
    <SelectInput key="primaryType" source="primaryType" choices={PRIMARY_TYPE_CHOICES} />,
    <NullableBooleanInput key="missingSecondary" source="missingSecondary" />,
    <NullableBooleanInput key="locked" source="locked" />,
    // One failure from a lockout: a failing channel, or a single factor.
    <NullableBooleanInput key="atRisk" source="atRisk" alwaysOn slotProps={{ htmlInput: { 'data-testid': 'customer-at-risk-filter' } }} />,
  ];
};

const Column = DataTable.Col<CustomerRow>;

export const CustomerList = () => (
  <List filters={useCustomerFilters()} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} exporter={false}>
    <DataTable rowClick="show" bulkActionButtons={false} data-testid="customer-table">
      <Column source="email" />
      <Column source="createdAt" field={DateField} />
      <Column source="lastLoginAt" render={(customer) => <DateField record={customer} source="lastLoginAt" showTime options={SHORT_DATE_TIME} emptyText="—" />} />
      <Column source="mfaComplete" disableSort render={(customer) => <BooleanField record={customer} source="mfaComplete" />} />
      <Column source="primaryType" disableSort render={(customer) => (customer.primaryType ? <FactorTypeChip type={customer.primaryType} /> : '—')} />
      <Column source="secondaryTypes" disableSort render={(customer) => <SecondaryTypes customer={customer} />} />
      <Column source="recoveryCodesRemaining" disableSort render={(customer) => <RecoveryCodesRemaining customer={customer} />} />
      <Column source="lockedUntil" disableSort render={(customer) => <LockState customer={customer} />} />
    </DataTable>
  </List>
);
