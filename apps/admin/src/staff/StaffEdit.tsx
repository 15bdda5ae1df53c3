import { BooleanInput, Edit, email, maxLength, required, SaveButton, SelectInput, SimpleForm, TextInput, Toolbar, useRecordContext } from 'react-admin';
import type { StaffIdentity } from '../types';
import { ROLE_CHOICES } from './roleChoices';

// Staff records are disabled, never deleted: the audit trail refers to them.
const StaffEditToolbar = () => (
  <Toolbar>
    <SaveButton data-testid="staff-save" />
  </Toolbar>
);

const StaffTitle = () => {
  const staff = useRecordContext<StaffIdentity>();
  return <span>{staff?.email ?? ''}</span>;
};

export const StaffEdit = () => (
  <Edit mutationMode="pessimistic" title={<StaffTitle />}>
    <SimpleForm toolbar={<StaffEditToolbar />}>
      <TextInput source="email" type="email" validate={[required(), email(), maxLength(254)]} />
      <TextInput source="name" validate={[required(), maxLength(200)]} />
      <SelectInput source="role" choices={ROLE_CHOICES} validate={required()} />
      <BooleanInput source="disabled" />
    </SimpleForm>
  </Edit>
);
