import { useState } from 'react';
import { Create, email, maxLength, required, SelectInput, SimpleForm, TextInput, useRedirect } from 'react-admin';
import type { StaffIdentity } from '../types';
import { ROLE_CHOICES } from './roleChoices';
import { SetupPasswordDialog } from './SetupPasswordDialog';

type CreatedStaff = StaffIdentity & { setupPassword?: string };

export const StaffCreate = () => {
  const redirect = useRedirect();
  const [created, setCreated] = useState<CreatedStaff | null>(null);

  const done = () => {
    setCreated(null);
    redirect('list', 'staff');
  };

  return (
    <>
      <Create
        redirect={false}
        mutationOptions={{
          onSuccess: (data: CreatedStaff) => (data.setupPassword ? setCreated(data) : redirect('list', 'staff')),
        }}
      >
        <SimpleForm defaultValues={{ role: 'agent' }}>
          <TextInput source="email" type="email" validate={[required(), email(), maxLength(254)]} slotProps={{ htmlInput: { 'data-testid': 'staff-email' } }} />
          <TextInput source="name" validate={[required(), maxLength(200)]} slotProps={{ htmlInput: { 'data-testid': 'staff-name' } }} />
          <SelectInput source="role" choices={ROLE_CHOICES} validate={required()} data-testid="staff-role" />
        </SimpleForm>
      </Create>
      {created?.setupPassword ? <SetupPasswordDialog email={created.email} setupPassword={created.setupPassword} onClose={done} /> : null}
    </>
  );
};
