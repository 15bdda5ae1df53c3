import { useState } from 'react';
import { Button } from '@mui/material';
import RestartAltIcon from '@mui/icons-material/RestartAlt';
import { useTranslate } from 'react-admin';
import { useHasRole } from '../roles';
import type { FactorSummary, Verification } from '../types';
import { SupportActionDialog } from './SupportActionDialog';
import { useSupportAction } from './useSupportAction';

export const ResetFactorButton = ({ factor }: { factor: FactorSummary }) => {
  const translate = useTranslate();
  const allowed = useHasRole('agent');
  const runAction = useSupportAction();
  const [open, setOpen] = useState(false);
  if (!allowed) return null;

  const typeLabel = translate(`twofold.factor_type.${factor.type}`);
  return (
    <>
      <Button
        size="small"
        color="warning"
        startIcon={<RestartAltIcon />}
        sx={{ whiteSpace: 'nowrap' }}
        onClick={() => setOpen(true)}
        data-testid={`reset-factor-${factor.type}`}
        data-factor-id={factor.id}
        aria-label={translate('twofold.support.reset_factor_named', { type: typeLabel, role: factor.role })}
      >
        {translate('twofold.support.reset_factor')}
      </Button>
      <SupportActionDialog
        open={open}
        title={translate('twofold.support.reset_factor_title', { type: typeLabel })}
        description={translate('twofold.support.reset_factor_description', { hint: factor.hint })}
        confirmLabel={translate('twofold.support.reset_factor')}
        requireVerification
        onClose={() => setOpen(false)}
        onConfirm={({ reason, verification }) =>
          runAction(
            (dataProvider, customerId) =>
              dataProvider.resetFactor(customerId, factor.id, { reason, verification: verification as Verification }),
            translate('twofold.support.factor_reset_done', { type: typeLabel }),
          )
        }
      />
    </>
  );
};
