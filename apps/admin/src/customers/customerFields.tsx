import { Box, Chip, Typography } from '@mui/material';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import LockIcon from '@mui/icons-material/Lock';
import { useTranslate } from 'react-admin';
import type { CustomerRow } from '../types';
import { FactorTypeChip } from './FactorTypeChip';

export const RECOVERY_CODES_LOW = 3;

export const SHORT_DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'short', timeStyle: 'short' };

const formatShort = (value: string | null) => (value ? new Date(value).toLocaleString(undefined, SHORT_DATE_TIME) : '—');

export const isLocked = (customer: Pick<CustomerRow, 'lockedUntil'>, now = Date.now()): boolean =>
  customer.lockedUntil !== null && customer.lockedUntil !== undefined && Date.parse(customer.lockedUntil) > now;

export const SecondaryTypes = ({ customer }: { customer: CustomerRow }) =>
  customer.secondaryTypes?.length ? (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
      {customer.secondaryTypes.map((type) => (
        <FactorTypeChip key={type} type={type} />
      ))}
    </Box>
  ) : (
    <Typography variant="body2" color="text.secondary">
      —
    </Typography>
  );

export const RecoveryCodesRemaining = ({ customer }: { customer: CustomerRow }) => {
  const translate = useTranslate();
  const remaining = customer.recoveryCodesRemaining ?? 0;
  const low = remaining <= RECOVERY_CODES_LOW;
  return (
    <Box
      component="span"
      sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, color: low ? 'warning.dark' : 'inherit' }}
      data-testid="recovery-codes-remaining"
      data-low={low}
      title={low ? translate('twofold.customers.recovery_codes_low') : undefined}
    >
      {low ? <WarningAmberIcon fontSize="small" aria-label={translate('twofold.customers.recovery_codes_low')} /> : null}
      {remaining}
    </Box>
  );
};

export const LockState = ({ customer }: { customer: CustomerRow }) => {
  const translate = useTranslate();
  if (!isLocked(customer)) {
    return (
      <Typography variant="body2" color="text.secondary" component="span" data-testid="lock-state" data-locked="false">
        {translate('twofold.customers.not_locked')}
      </Typography>
    );
  }
  return (
    <Chip
      size="small"
      color="error"
      icon={<LockIcon fontSize="small" />}
      label={translate('twofold.customers.locked_until', { date: formatShort(customer.lockedUntil) })}
      title={new Date(customer.lockedUntil ?? '').toLocaleString()}
      data-testid="lock-state"
      data-locked="true"
    />
  );
};
