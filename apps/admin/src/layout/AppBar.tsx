import { Chip } from '@mui/material';
import { AppBar as RaAppBar, TitlePortal, usePermissions, useTranslate } from 'react-admin';
import { isStaffRole } from '../roles';

const RoleChip = () => {
  const translate = useTranslate();
  const { permissions } = usePermissions<unknown>();
  if (!isStaffRole(permissions)) return null;
  return (
    <Chip
      size="small"
      label={translate(`twofold.roles.${permissions}`)}
      data-testid="current-role"
      data-role={permissions}
      sx={{ color: 'inherit', borderColor: 'currentColor', mr: 1 }}
      variant="outlined"
    />
  );
};

export const AppBar = () => (
  <RaAppBar>
    <TitlePortal />
    <RoleChip />
  </RaAppBar>
);
