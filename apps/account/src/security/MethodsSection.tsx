import { useState } from 'react';
import { Box, Button, Dialog, DialogContent, DialogTitle, Typography } from '@mui/material';
import Add from '@mui/icons-material/Add';
import { accountApi } from '../api/account-api';
import type { FactorsOverview, FactorSummary } from '../api/types';
import { describeError } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { FactorList } from '../components/FactorList';
import { methodName } from '../components/methods';
import { EnrolMethod } from '../setup/EnrolMethod';
import { EnrolPasskey } from '../setup/EnrolPasskey';
import { MethodChoice } from '../setup/MethodChoice';
import { useStepUp } from '../step-up/StepUpProvider';
import { t } from '../i18n';
import { ConfirmDialog } from './ConfirmDialog';
import { Section } from './Section';

// Passkeys are added here only, not in the first setup: the authenticator app stays the recommended start.
const KNOWN_TYPES = ['totp', 'sms', 'email', 'passkey'];

interface MethodsSectionProps {
  overview: FactorsOverview;
  email: string;
  reload: () => Promise<void>;
  notify: (message: string) => void;
}

/** The methods, primary marked: make another the default, remove one, add one (each with a step-up when due). */
export function MethodsSection({ overview, email, reload, notify }: MethodsSectionProps) {
  const withStepUp = useStepUp();
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<FactorSummary | null>(null);
  const [adding, setAdding] = useState(false);
  const [addType, setAddType] = useState('');
  const [addChosen, setAddChosen] = useState(false);

  const activeTypes = overview.factors.filter((f) => f.status === 'active').map((f) => f.type);
  const hasPrimary = overview.factors.some((f) => f.status === 'active' && f.role === 'primary');
  const addable = (hasPrimary ? overview.policy.secondaryTypes : overview.policy.primaryTypes).filter((type) => KNOWN_TYPES.includes(type) && !activeTypes.includes(type));

  const change = async (action: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await withStepUp(action);
      notify(done);
    } catch (failure) {
      setError(describeError(failure));
    }
    await reload();
  };

  const newRole = hasPrimary ? 'secondary' : 'primary';
  const added = () => {
    setAdding(false);
    notify(t.security.added_(methodName(addType)));
    void reload();
  };

  const openAdd = () => {
    setAddType(addable.includes('totp') ? 'totp' : (addable[0] ?? ''));
    setAddChosen(false);
    setAdding(true);
  };

  return (
    <Section id="methods" title={t.security.methodsTitle} intro={t.security.methodsIntro}>
      <FactorList
        factors={overview.factors}
        label={t.security.methodsTitle}
        details={(factor) => (
          <Typography variant="body2" color="text.secondary">
            {t.security.lastUsed(factor.lastUsedAt)}
          </Typography>
        )}
        actions={(factor) => (
          <>
            {factor.role === 'secondary' && overview.policy.primaryTypes.includes(factor.type) && (
              <Button
                variant="outlined"
                size="small"
                data-testid={`make-default-${factor.type}`}
                aria-label={`${t.security.makeDefault}: ${methodName(factor.type)}`}
                onClick={() => void change(() => accountApi.changeRole(factor.id, 'primary'), t.security.madeDefault(methodName(factor.type)))}
              >
                {t.security.makeDefault}
              </Button>
            )}
            <Button
              variant="outlined"
              color="error"
              size="small"
              data-testid={`remove-${factor.type}`}
              aria-label={`${t.security.remove}: ${methodName(factor.type)}`}
              onClick={() => setRemoving(factor)}
            >
              {t.security.remove}
            </Button>
          </>
        )}
      />
      <ErrorAlert message={error} testId="methods-error" />
      <Box sx={{ mt: 1 }}>
        {addable.length > 0 ? (
          <Button variant="contained" startIcon={<Add aria-hidden />} onClick={openAdd} data-testid="add-method">
            {t.security.addMethod}
          </Button>
        ) : (
          <Typography color="text.secondary">{t.security.nothingToAdd}</Typography>
        )}
      </Box>

      <ConfirmDialog
        open={removing !== null}
        title={removing ? t.security.removeTitle(methodName(removing.type)) : ''}
        body={t.security.removeBody}
        confirmLabel={t.security.remove}
        onClose={() => setRemoving(null)}
        onConfirm={() => {
          const factor = removing;
          setRemoving(null);
          if (factor) void change(() => accountApi.removeFactor(factor.id), t.security.removed(methodName(factor.type)));
        }}
      />

      <Dialog open={adding} onClose={() => setAdding(false)} aria-labelledby="add-title" fullWidth maxWidth="sm" data-testid="add-method-dialog">
        <DialogTitle id="add-title">{t.security.addTitle}</DialogTitle>
        <DialogContent>
          {!addChosen ? (
            <Box component="form" onSubmit={(event) => { event.preventDefault(); setAddChosen(true); }}>
              <MethodChoice legend={t.security.addTitle} types={addable} value={addType} onChange={setAddType} email={email} />
              <Button type="submit" variant="contained" disabled={!addType} data-testid="add-continue" sx={{ mt: 1, mr: 2 }}>
                {t.common.continue}
              </Button>
              <Button onClick={() => setAdding(false)}>{t.common.cancel}</Button>
            </Box>
          ) : addType === 'passkey' ? (
            <EnrolPasskey role={newRole} run={withStepUp} onBack={() => setAddChosen(false)} onVerified={added} />
          ) : (
            <EnrolMethod type={addType} role={newRole} email={email} run={withStepUp} onBack={() => setAddChosen(false)} onVerified={added} />
          )}
        </DialogContent>
      </Dialog>
    </Section>
  );
}
