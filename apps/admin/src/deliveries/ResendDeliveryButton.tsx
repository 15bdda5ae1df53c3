import { useState } from 'react';
import { Button } from '@mui/material';
import ReplayIcon from '@mui/icons-material/Replay';
import { useDataProvider, useNotify, useRefresh, useTranslate } from 'react-admin';
import { SupportActionDialog } from '../customers/SupportActionDialog';
import type { TwofoldDataProvider } from '../dataProvider';
import { useHasRole } from '../roles';
import type { Delivery } from '../types';

/** Shown on a failed notice not yet re-sent; the reason is kept in the audit trail (delivery.resent). */
export const ResendDeliveryButton = ({ delivery }: { delivery: Delivery }) => {
  const translate = useTranslate();
  const dataProvider = useDataProvider<TwofoldDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const allowed = useHasRole('agent');
  const [open, setOpen] = useState(false);
  if (!allowed || !delivery.resendable) return null;

  return (
    <>
      <Button size="small" startIcon={<ReplayIcon />} onClick={() => setOpen(true)} data-testid="resend-delivery-button">
        {translate('twofold.deliveries.resend')}
      </Button>
      <SupportActionDialog
        open={open}
        title={translate('twofold.deliveries.resend_title')}
        description={translate('twofold.deliveries.resend_description')}
        confirmLabel={translate('twofold.deliveries.resend')}
        requireVerification={false}
        onClose={() => setOpen(false)}
        onConfirm={async ({ reason }) => {
          await dataProvider.resendDelivery(delivery.id, { reason });
          notify(translate('twofold.deliveries.resend_done'), { type: 'success' });
          refresh();
        }}
      />
    </>
  );
};
