import { useState } from 'react';
import { Button } from '@mui/material';
import PhonelinkEraseIcon from '@mui/icons-material/PhonelinkErase';
import { useTranslate } from 'react-admin';
import { useHasRole } from '../roles';
import type { Verification } from '../types';
import { SupportActionDialog } from './SupportActionDialog';
import { useSupportAction } from './useSupportAction';

/**
 * Asks for a whole reset (supervisors and admins; not rendered for agents). Nothing changes until a
 * second supervisor approves it and the customer's notice period has passed.
 */
export const ResetMfaButton = () => {
  const translate = useTranslate();
  const allowed = useHasRole('supervisor');
  const runAction = useSupportAction();
  const [open, setOpen] = useState(false);
  if (!allowed) return null;

  return (
    <>
      <Button color="error" startIcon={<PhonelinkEraseIcon />} onClick={() => setOpen(true)} data-testid="reset-mfa-button">
        {translate('twofold.support.reset_mfa')}
      </Button>
      <SupportActionDialog
        open={open}
        title={translate('twofold.support.reset_mfa_title')}
        description={translate('twofold.support.reset_mfa_description')}
        confirmLabel={translate('twofold.support.reset_mfa_request')}
        requireVerification
        onClose={() => setOpen(false)}
        onConfirm={({ reason, verification }) =>
          runAction(
            (dataProvider, customerId) => dataProvider.resetMfa(customerId, { reason, verification: verification as Verification }),
            translate('twofold.support.mfa_reset_done'),
          )
        }
      />
    </>
  );
};
