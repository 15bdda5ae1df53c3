import { Box } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useNow } from './useNow';

/** "in 23 h 59 min" until `at`, or "due now" once passed (the runner picks it up within a minute). */
export function describeRemaining(at: string, now: number): { hours: number; minutes: number } | null {
  const ms = new Date(at).getTime() - now;
  if (ms < 60_000) return null;
  const minutes = Math.floor(ms / 60_000);
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

export const Countdown = ({ at }: { at: string | null }) => {
  const translate = useTranslate();
  const now = useNow();
  if (!at) return <span>—</span>;
  const remaining = describeRemaining(at, now);
  return (
    <Box component="span" data-testid="reset-countdown" title={new Date(at).toLocaleString()}>
      {remaining ? translate('twofold.resets.runs_in', remaining) : translate('twofold.resets.due_now')}
    </Box>
  );
};
