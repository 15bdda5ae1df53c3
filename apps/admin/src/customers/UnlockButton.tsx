import { useState } from 'react';
import { Button } from '@mui/material';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import { useRecordContext, useTranslate } from 'react-admin';
import { useHasRole } from '../roles';
import type { CustomerDetail } from '../types';
import { isLocked } from './customerFields';
import { SupportActionDialog } from './SupportActionDialog';
import { useSupportAction } from './useSupportAction';

/** Shown only while the customer's second-factor sign-in is locked. */
export const UnlockButton = () => {
  const translate = useTranslate();
  const customer = useRecordContext<CustomerDetail>();
  const allowed = useHasRole('agent');
  const runAction = useSupportAction();
  const [open, setOpen] = useState(false);
  if (!allowed || !customer || !isLocked(customer)) return null;

  return (
    <>
      <Button color="primary" startIcon={<LockOpenIcon />} onClick={() => setOpen(true)} data-testid="unlock-button">
        {translate('twofold.support.unlock')}
      </Button>
      <SupportActionDialog
        open={open}
        title={translate('twofold.support.unlock_title')}
        description={translate('twofold.support.unlock_description')}
        confirmLabel={translate('twofold.support.unlock')}
        requireVerification={false}
        onClose={() => setOpen(false)}
        onConfirm={({ reason }) =>
          runAction((dataProvider, customerId) => dataProvider.unlock(customerId, { reason }), translate('twofold.support.unlock_done'))
        }
      />
    </>
  );
};
