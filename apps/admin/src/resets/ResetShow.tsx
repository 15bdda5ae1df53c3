import { Box, Divider } from '@mui/material';
import { Show, useRecordContext, useTranslate } from 'react-admin';
import type { PendingReset } from '../types';
import { ResetActions } from './ResetActions';
import { ResetSummary } from './ResetSummary';

const ResetTitle = () => {
  const translate = useTranslate();
  const reset = useRecordContext<PendingReset>();
  return <span>{translate('twofold.resets.title', { email: reset?.customerEmail ?? '' })}</span>;
};

const ResetDetail = () => {
  const reset = useRecordContext<PendingReset>();
  if (!reset) return null;
  return (
    <Box sx={{ p: 2 }}>
      <ResetSummary reset={reset} />
      <Divider sx={{ my: 2 }} />
      <ResetActions reset={reset} />
    </Box>
  );
};

export const ResetShow = () => (
  <Show title={<ResetTitle />} queryOptions={{ refetchOnMount: 'always' }}>
    <ResetDetail />
  </Show>
);
