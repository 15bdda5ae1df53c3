import { DateTimeInput, FilterButton, List, TextInput, TopToolbar } from 'react-admin';
import { AuditEventTable } from './AuditEventTable';
import { VerifyChainButton } from './VerifyChainButton';

const auditFilters = [
  <TextInput key="type" source="type" alwaysOn slotProps={{ htmlInput: { 'data-testid': 'audit-filter-type' } }} />,
  <TextInput key="subjectId" source="subjectId" slotProps={{ htmlInput: { 'data-testid': 'audit-filter-subject' } }} />,
  <TextInput key="actorId" source="actorId" slotProps={{ htmlInput: { 'data-testid': 'audit-filter-actor' } }} />,
  <DateTimeInput key="from" source="from" />,
  <DateTimeInput key="to" source="to" />,
];

const AuditEventActions = () => (
  <TopToolbar>
    <FilterButton />
    <VerifyChainButton />
  </TopToolbar>
);

export const AuditEventList = () => (
  <List filters={auditFilters} actions={<AuditEventActions />} sort={{ field: 'at', order: 'DESC' }} perPage={25} exporter={false}>
    <AuditEventTable />
  </List>
);
