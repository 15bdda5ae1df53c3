import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, Chip, CircularProgress, List, ListItem, Stack, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import StarIcon from '@mui/icons-material/Star';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Confirm, Title, useNotify, useTranslate } from 'react-admin';
import { FactorTypeChip } from '../customers/FactorTypeChip';
import { describeApiError } from '../httpClient';
import type { FactorSummary, OwnFactors } from '../types';
import { AddPasskeyDialog } from './AddPasskeyDialog';
import { changeOwnFactorRole, fetchOwnFactors, removeOwnFactor } from './ownFactorsApi';
import { planPasskey } from './passkeyPlan';

const OWN_FACTORS_KEY = ['twofold', 'own-factors'] as const;

const primaryFirst = (a: FactorSummary, b: FactorSummary) => (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1);

interface FactorItemProps {
  factor: FactorSummary;
  overview: OwnFactors;
  onMakePrimary: (factor: FactorSummary) => void;
  onRemove: (factor: FactorSummary) => void;
}

const FactorItem = ({ factor, overview, onMakePrimary, onRemove }: FactorItemProps) => {
  const translate = useTranslate();
  const primary = factor.role === 'primary';
  const type = translate(`twofold.factor_type.${factor.type}`, { _: factor.type });
  return (
    <ListItem
      data-testid="own-factor"
      data-type={factor.type}
      data-role={factor.role}
      sx={{ border: 1, borderColor: primary ? 'primary.main' : 'divider', borderRadius: 1, mb: 1, gap: 2, flexWrap: 'wrap' }}
    >
      <Box sx={{ flex: '1 1 260px' }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <FactorTypeChip type={factor.type} />
          <Chip
            size="small"
            color={primary ? 'primary' : 'default'}
            variant={primary ? 'filled' : 'outlined'}
            icon={primary ? <StarIcon fontSize="small" /> : undefined}
            label={translate(`twofold.factor_role.${factor.role}`)}
            data-testid="own-factor-role"
          />
        </Stack>
        {factor.hint !== type ? (
          <Typography variant="body2" sx={{ mt: 0.5 }} data-testid="own-factor-hint">
            {factor.hint}
          </Typography>
        ) : null}
        <Typography variant="body2" color="text.secondary">
          {factor.lastUsedAt
            ? translate('twofold.security.last_used', { date: new Date(factor.lastUsedAt).toLocaleString() })
            : translate('twofold.security.never_used')}
        </Typography>
      </Box>
      <Stack direction="row" spacing={1}>
        {!primary && overview.policy.primaryTypes.includes(factor.type) ? (
          <Button size="small" variant="outlined" onClick={() => onMakePrimary(factor)} data-testid={`make-primary-${factor.type}`} aria-label={`${translate('twofold.security.make_primary')}: ${type}`}>
            {translate('twofold.security.make_primary')}
          </Button>
        ) : null}
        {/* The API keeps a primary at all times: a primary is replaced by promoting another first. */}
        {!primary ? (
          <Button size="small" color="error" variant="outlined" onClick={() => onRemove(factor)} data-testid={`remove-${factor.type}`} aria-label={`${translate('twofold.security.remove')}: ${type}`}>
            {translate('twofold.security.remove')}
          </Button>
        ) : null}
      </Stack>
    </ListItem>
  );
};

/** The member of staff's own sign-in methods: add a passkey, choose the primary, remove a secondary. */
export const OwnFactorsPage = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { data: overview, error, isPending } = useQuery({ queryKey: OWN_FACTORS_KEY, queryFn: fetchOwnFactors });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<FactorSummary | null>(null);
  const reload = () => queryClient.invalidateQueries({ queryKey: OWN_FACTORS_KEY });

  const typeName = (factor: FactorSummary) => translate(`twofold.factor_type.${factor.type}`, { _: factor.type });

  const change = async (action: () => Promise<void>, done: string) => {
    try {
      await action();
      notify(done, { type: 'success' });
    } catch (caught) {
      notify(describeApiError(caught), { type: 'error' });
    }
    await reload();
  };

  const plan = overview ? planPasskey(overview) : null;
  const active = overview?.factors.filter((factor) => factor.status === 'active').sort(primaryFirst) ?? [];

  return (
    <Box sx={{ mt: 2, maxWidth: 760 }} data-testid="own-factors-page">
      <Title title={translate('twofold.security.title')} />
      <Card>
        <CardContent>
          <Typography component="h2" variant="h6" gutterBottom>
            {translate('twofold.security.title')}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate('twofold.security.explain')}
          </Typography>
          {isPending ? <CircularProgress size={28} aria-label={translate('ra.page.loading')} /> : null}
          {error ? <Alert severity="error">{describeApiError(error)}</Alert> : null}
          {overview ? (
            <List disablePadding aria-label={translate('twofold.security.title')} data-testid="own-factor-list">
              {active.map((factor) => (
                <FactorItem
                  key={factor.id}
                  factor={factor}
                  overview={overview}
                  onMakePrimary={(chosen) =>
                    void change(() => changeOwnFactorRole(chosen.id, 'primary'), translate('twofold.security.made_primary', { type: typeName(chosen) }))
                  }
                  onRemove={setRemoving}
                />
              ))}
            </List>
          ) : null}
          {plan?.kind === 'add' ? (
            <Button variant="contained" startIcon={<AddIcon />} onClick={() => setAdding(true)} data-testid="add-passkey" sx={{ mt: 1 }}>
              {translate('twofold.security.add_passkey')}
            </Button>
          ) : null}
          {plan?.kind === 'blocked' ? (
            <Typography variant="body2" color="text.secondary" data-testid="add-passkey-blocked">
              {translate(`twofold.security.${plan.reason}`)}
            </Typography>
          ) : null}
        </CardContent>
      </Card>
      {adding && plan?.kind === 'add' ? (
        <AddPasskeyDialog
          role={plan.role}
          mayBecomePrimary={plan.mayBecomePrimary}
          onClose={() => setAdding(false)}
          onAdded={(madePrimary) => {
            setAdding(false);
            notify(madePrimary ? 'twofold.security.added_primary' : 'twofold.security.added', { type: 'success' });
            void reload();
          }}
        />
      ) : null}
      <Confirm
        isOpen={removing !== null}
        title={translate('twofold.security.remove_title', { type: removing ? typeName(removing) : '' })}
        content={translate('twofold.security.remove_body', { hint: removing?.hint ?? '' })}
        confirm={translate('twofold.security.remove')}
        confirmColor="warning"
        onClose={() => setRemoving(null)}
        onConfirm={() => {
          const factor = removing;
          setRemoving(null);
          if (factor) void change(() => removeOwnFactor(factor.id), translate('twofold.security.removed', { type: typeName(factor) }));
        }}
      />
    </Box>
  );
};
