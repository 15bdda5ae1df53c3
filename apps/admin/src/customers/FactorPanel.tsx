import {
  Alert,
  Box,
  Chip,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import StarIcon from '@mui/icons-material/Star';
import { useRecordContext, useTranslate } from 'react-admin';
import type { CustomerDetail, FactorSummary } from '../types';
import { ChannelHealthChip, LastDelivery } from './ChannelHealth';
import { FactorTypeChip } from './FactorTypeChip';
import { ResetFactorButton } from './ResetFactorButton';

const byRoleThenType = (a: FactorSummary, b: FactorSummary) =>
  a.role === b.role ? a.type.localeCompare(b.type) : a.role === 'primary' ? -1 : 1;

const formatDate = (value: string | null) => (value ? new Date(value).toLocaleString() : '—');

const RoleChip = ({ role }: { role: FactorSummary['role'] }) => {
  const translate = useTranslate();
  return role === 'primary' ? (
    <Chip size="small" color="primary" icon={<StarIcon fontSize="small" />} label={translate('twofold.factor_role.primary')} data-testid="factor-role-chip" data-role="primary" />
  ) : (
    <Chip size="small" variant="outlined" label={translate('twofold.factor_role.secondary')} data-testid="factor-role-chip" data-role="secondary" />
  );
};

const FactorRow = ({ factor }: { factor: FactorSummary }) => {
  const translate = useTranslate();
  const isPrimary = factor.role === 'primary';
  return (
    <TableRow
      data-testid="factor-row"
      data-factor-id={factor.id}
      data-factor-type={factor.type}
      data-factor-role={factor.role}
      sx={isPrimary ? { bgcolor: 'action.selected', '& td:first-of-type': { borderLeft: 4, borderLeftColor: 'primary.main' } } : undefined}
    >
      <TableCell>
        <RoleChip role={factor.role} />
      </TableCell>
      <TableCell>
        <FactorTypeChip type={factor.type} />
      </TableCell>
      <TableCell sx={{ fontFamily: 'monospace' }}>{factor.hint}</TableCell>
      <TableCell>
        <Chip
          size="small"
          color={factor.status === 'active' ? 'success' : 'default'}
          variant={factor.status === 'active' ? 'filled' : 'outlined'}
          label={translate(`twofold.factor_status.${factor.status}`)}
        />
      </TableCell>
      <TableCell>
        <ChannelHealthChip factor={factor} />
        <LastDelivery factor={factor} />
      </TableCell>
      <TableCell>{formatDate(factor.verifiedAt)}</TableCell>
      <TableCell>{formatDate(factor.lastUsedAt)}</TableCell>
      <TableCell align="right">
        <ResetFactorButton factor={factor} />
      </TableCell>
    </TableRow>
  );
};

/** The customer's factors: the primary first and highlighted, then the secondaries. */
export const FactorPanel = () => {
  const translate = useTranslate();
  const customer = useRecordContext<CustomerDetail>();
  if (!customer) return null;
  // Until the detail arrives the record may be the list's row, which has no factors.
  if (!Array.isArray(customer.factors)) return <LinearProgress sx={{ mt: 2 }} aria-label={translate('ra.page.loading')} />;
  const factors = [...customer.factors].sort(byRoleThenType);
  const hasPrimary = factors.some((factor) => factor.role === 'primary' && factor.status === 'active');
  const hasSecondary = factors.some((factor) => factor.role === 'secondary' && factor.status === 'active');

  return (
    <Box component="section" aria-labelledby="factor-panel-title" data-testid="factor-panel" sx={{ mt: 2 }}>
      <Typography variant="h6" component="h2" id="factor-panel-title" gutterBottom>
        {translate('twofold.customers.factors')}
      </Typography>
      {!hasPrimary ? (
        <Alert severity="warning" sx={{ mb: 1 }}>
          {translate('twofold.customers.no_primary')}
        </Alert>
      ) : !hasSecondary ? (
        <Alert severity="info" sx={{ mb: 1 }}>
          {translate('twofold.customers.no_secondary')}
        </Alert>
      ) : null}
      {factors.length ? (
        <Table size="small" aria-labelledby="factor-panel-title">
          <TableHead>
            <TableRow>
              <TableCell>{translate('twofold.customers.factor_role')}</TableCell>
              <TableCell>{translate('twofold.customers.factor_type')}</TableCell>
              <TableCell>{translate('twofold.customers.factor_hint')}</TableCell>
              <TableCell>{translate('twofold.customers.factor_status')}</TableCell>
              <TableCell>{translate('twofold.customers.factor_health')}</TableCell>
              <TableCell>{translate('twofold.customers.factor_verified')}</TableCell>
              <TableCell>{translate('twofold.customers.factor_last_used')}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {factors.map((factor) => (
              <FactorRow key={factor.id} factor={factor} />
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Box>
  );
};
