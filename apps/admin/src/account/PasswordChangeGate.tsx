import { useEffect, type ReactNode } from 'react';
import { Box, CircularProgress } from '@mui/material';
import { useGetIdentity, useRedirect } from 'react-admin';
import { forgetIdentity } from '../authProvider';
import { PasswordChangePage } from './PasswordChangePage';
import { forgetSignInPassword } from './signInPassword';

/**
 * Nothing of the console is shown until the member of staff has replaced the one-time setup
 * password (GET /admin/me → mustChangePassword). Reloading or changing the address does not skip it.
 */
export const PasswordChangeGate = ({ children }: { children: ReactNode }) => {
  const { identity, isPending, refetch } = useGetIdentity();
  const redirect = useRedirect();
  const mustChange = identity?.mustChangePassword === true;

  useEffect(() => {
    if (identity && !mustChange) forgetSignInPassword();
  }, [identity, mustChange]);

  if (isPending) {
    return (
      <Box sx={{ display: 'flex', justifyContent: 'center', alignItems: 'center', minHeight: '100vh' }}>
        <CircularProgress />
      </Box>
    );
  }
  if (!mustChange) return <>{children}</>; // an error reading /admin/me: the console shows it itself

  const changed = async () => {
    forgetIdentity();
    await refetch();
    redirect('/');
  };
  return <PasswordChangePage onChanged={changed} />;
};
