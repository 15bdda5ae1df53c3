import { Chip, type ChipProps } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { ResetStatus } from '../types';

const COLOR: Record<ResetStatus, ChipProps['color']> = {
  awaiting_approval: 'warning',
  scheduled: 'error',
  executed: 'default',
  cancelled: 'success',
  expired: 'default',
};

export const ResetStatusChip = ({ status }: { status: ResetStatus }) => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      color={COLOR[status]}
      variant={status === 'executed' || status === 'expired' ? 'outlined' : 'filled'}
      label={translate(`twofold.resets.status.${status}`)}
      data-testid="reset-status"
      data-status={status}
    />
  );
};
