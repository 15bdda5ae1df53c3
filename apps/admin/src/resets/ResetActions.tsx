import { useState } from 'react';
import { Box, Button, Tooltip } from '@mui/material';
import CheckIcon from '@mui/icons-material/Check';
import BlockIcon from '@mui/icons-material/Block';
import { useDataProvider, useGetIdentity, useNotify, useRefresh, useTranslate } from 'react-admin';
import { describeApiError } from '../httpClient';
import type { TwofoldDataProvider } from '../dataProvider';
import { SupportActionDialog } from '../customers/SupportActionDialog';
import { useHasRole } from '../roles';
import type { PendingReset } from '../types';

/**
 * Approve and cancel for supervisors. The requester sees no approve button: the API refuses them
 * (four_eyes_required) and the console says why instead of offering it.
 */
export const ResetActions = ({ reset }: { reset: PendingReset }) => {
  const translate = useTranslate();
  const allowed = useHasRole('supervisor');
  const { identity } = useGetIdentity();
  const dataProvider = useDataProvider<TwofoldDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [cancelling, setCancelling] = useState(false);
  const [approving, setApproving] = useState(false);
  if (!allowed) return null;

  const open = reset.status === 'awaiting_approval' || reset.status === 'scheduled';
  if (!open) return null;
  const ownRequest = identity?.id === reset.requestedBy;

  const approve = async () => {
    setApproving(true);
    try {
      await dataProvider.approveReset(reset.id);
      notify('twofold.resets.approved', { type: 'success' });
      refresh();
    } catch (error) {
      notify(describeApiError(error), { type: 'error' });
    } finally {
      setApproving(false);
    }
  };

  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
      {reset.status === 'awaiting_approval' ? (
        ownRequest ? (
          <Tooltip title={translate('twofold.resets.four_eyes')}>
            <span>
              <Button size="small" variant="outlined" disabled startIcon={<CheckIcon />} data-testid="reset-approve-own">
                {translate('twofold.resets.approve')}
              </Button>
            </span>
          </Tooltip>
        ) : (
          <Button size="small" variant="contained" color="warning" startIcon={<CheckIcon />} disabled={approving} onClick={() => void approve()} data-testid="reset-approve">
            {translate('twofold.resets.approve')}
          </Button>
        )
      ) : null}
      <Button size="small" variant="outlined" startIcon={<BlockIcon />} onClick={() => setCancelling(true)} data-testid="reset-cancel">
        {translate('twofold.resets.cancel')}
      </Button>
      <SupportActionDialog
        open={cancelling}
        title={translate('twofold.resets.cancel_title')}
        description={translate('twofold.resets.cancel_description')}
        confirmLabel={translate('twofold.resets.cancel')}
        requireVerification={false}
        onClose={() => setCancelling(false)}
        onConfirm={async ({ reason }) => {
          await dataProvider.cancelReset(reset.id, { reason });
          notify('twofold.resets.cancelled', { type: 'success' });
          refresh();
        }}
      />
    </Box>
  );
};
