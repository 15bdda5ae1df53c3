import { Chip } from '@mui/material';
import { BooleanField, CreateButton, DataTable, DateField, List, SearchInput, TopToolbar, useTranslate } from 'react-admin';
import type { StaffIdentity } from '../types';

type StaffRecord = StaffIdentity & { disabled?: boolean; createdAt?: string };
const Column = DataTable.Col<StaffRecord>;

const StaffActions = () => (
  <TopToolbar>
    <CreateButton data-testid="staff-create-button" />
  </TopToolbar>
);

const RoleCell = ({ staff }: { staff: StaffRecord }) => {
  const translate = useTranslate();
  return <Chip size="small" label={translate(`twofold.roles.${staff.role}`, { _: staff.role })} data-role={staff.role} />;
};

export const StaffList = () => (
  <List
    actions={<StaffActions />}
    filters={[<SearchInput key="q" source="q" alwaysOn />]}
    sort={{ field: 'email', order: 'ASC' }}
    exporter={false}
  >
    <DataTable rowClick="edit" bulkActionButtons={false} data-testid="staff-table">
      <Column source="email" />
      <Column source="name" />
      <Column source="role" render={(staff) => <RoleCell staff={staff} />} />
      <Column source="disabled" render={(staff) => <BooleanField record={staff} source="disabled" />} />
      <Column source="createdAt" render={(staff) => <DateField record={staff} source="createdAt" emptyText="—" />} />
    </DataTable>
  </List>
);
