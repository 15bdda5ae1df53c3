import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, Box, Button, Stack, Step, StepLabel, Stepper, Typography } from '@mui/material';
import { accountApi } from '../api/account-api';
import { saveSession } from '../api/session';
import type { FactorsOverview, FactorVerified, Me } from '../api/types';
import { describeError } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { FactorList } from '../components/FactorList';
import { PageLayout } from '../components/PageLayout';
import { RecoveryCodesPanel } from '../components/RecoveryCodesPanel';
import { t } from '../i18n';
import { EnrolMethod } from './EnrolMethod';
import { MethodChoice } from './MethodChoice';

type Phase = 'primary' | 'secondary' | 'confirmation' | 'codes';

const KNOWN_TYPES = ['totp', 'sms', 'email'];

/** Where setup stands according to the API, unless the customer is already past it on this page. */
function phaseOf(overview: FactorsOverview): Phase {
  if (overview.setupRequired.includes('primary')) return 'primary';
  const hasSecondary = overview.factors.some((f) => f.status === 'active' && f.role === 'secondary');
  if (overview.setupRequired.includes('secondary') || !hasSecondary) return 'secondary';
  return 'confirmation';
}

/**
 * First setup: a default method (the authenticator app recommended, or a text message), a backup
 * (email, or the other one), then the confirmation with both marked, then the recovery codes once.
 */
export function SetupPage({ onSignOut }: { onSignOut: () => void }) {
  const navigate = useNavigate();
  const [me, setMe] = useState<Me | null>(null);
  const [overview, setOverview] = useState<FactorsOverview | null>(null);
  const [phase, setPhase] = useState<Phase | null>(null);
  const [choice, setChoice] = useState('');
  const [enrolling, setEnrolling] = useState(false);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [codesAt, setCodesAt] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (): Promise<FactorsOverview | null> => {
    try {
      const [account, next] = await Promise.all([accountApi.me(), accountApi.factors()]);
      setMe(account);
      setOverview(next);
      return next;
    } catch (failure) {
      setError(describeError(failure));
      return null;
    }
  }, []);

  useEffect(() => {
    void load().then((next) => {
      if (!next) return;
      // Nothing to set up (a complete account that opened this page): the security page.
      if (next.complete && next.factors.some((f) => f.role === 'secondary' && f.status === 'active')) return navigate('/', { replace: true });
      setPhase(phaseOf(next));
    });
  }, [load, navigate]);

  const activeTypes = overview?.factors.filter((f) => f.status === 'active').map((f) => f.type) ?? [];
  // One factor per type: a type already in use (a backup left after support removed the default) is not offered.
  const choices = ((phase === 'primary' ? overview?.policy.primaryTypes : overview?.policy.secondaryTypes) ?? []).filter(
    (type) => KNOWN_TYPES.includes(type) && !activeTypes.includes(type),
  );

  // The recommended choice comes first and is preselected: the authenticator app, else email for a backup.
  useEffect(() => {
    if (phase === 'primary' || phase === 'secondary') {
      const preferred = phase === 'primary' ? 'totp' : 'email';
      setChoice(choices.includes(preferred) ? preferred : (choices[0] ?? ''));
      setEnrolling(false);
    }
    // choices derive from phase and overview
  }, [phase, overview]);

  const verified = async (result: FactorVerified) => {
    if (result.recoveryCodes) {
      setRecoveryCodes(result.recoveryCodes);
      setCodesAt(new Date().toISOString());
    }
    // Setup complete with an enrolment token: the login is now a full session.
    if (result.tokens) saveSession(result.tokens);
    const next = await load();
    if (!next) return;
    setPhase(phase === 'primary' ? phaseOf(next) : 'confirmation');
  };

  const secondaryOptional = overview ? !overview.policy.secondaryRequired && !overview.setupRequired.includes('secondary') : false;
  const stepIndex = phase === 'primary' ? 0 : phase === 'secondary' ? 1 : phase === 'confirmation' ? 2 : 3;
  const title = phase === 'confirmation' ? t.setup.doneTitle : phase === 'codes' ? t.recoveryCodes.title : t.setup.title;

  return (
    <PageLayout title={title} onSignOut={onSignOut}>
      <Stepper activeStep={stepIndex} alternativeLabel sx={{ mb: 3 }} aria-label={t.setup.title}>
        {t.setup.stepper.map((label, index) => (
          <Step key={label} completed={index < stepIndex}>
            <StepLabel>{label}</StepLabel>
          </Step>
        ))}
      </Stepper>
      <ErrorAlert message={error} />
      {!phase && !error && <Typography role="status">{t.loading}</Typography>}

      {(phase === 'primary' || phase === 'secondary') && overview && me && !enrolling && (
        <Box component="form" onSubmit={(event) => { event.preventDefault(); setEnrolling(true); }} data-testid={`choose-${phase}`}>
          {phase === 'primary' ? <Typography sx={{ mb: 2 }}>{t.setup.intro}</Typography> : <Typography sx={{ mb: 2 }}>{t.setup.secondaryIntro}</Typography>}
          {phase === 'secondary' && secondaryOptional && <Alert severity="info" sx={{ mb: 2 }}>{t.setup.secondaryOptional}</Alert>}
          <MethodChoice legend={phase === 'primary' ? t.setup.choosePrimary : t.setup.chooseSecondary} types={choices} value={choice} onChange={setChoice} email={me.email} />
          <Stack direction="row" spacing={2} sx={{ mt: 2 }}>
            <Button type="submit" variant="contained" size="large" disabled={!choice} data-testid="method-continue">
              {t.setup.next}
            </Button>
            {phase === 'secondary' && secondaryOptional && (
              <Button onClick={() => setPhase('confirmation')} data-testid="skip-secondary">
                {t.setup.skipSecondary}
              </Button>
            )}
          </Stack>
        </Box>
      )}

      {(phase === 'primary' || phase === 'secondary') && me && enrolling && (
        <EnrolMethod key={`${phase}-${choice}`} type={choice} role={phase} email={me.email} onVerified={(result) => void verified(result)} onBack={() => setEnrolling(false)} />
      )}

      {phase === 'confirmation' && overview && (
        <Box data-testid="setup-confirmation">
          <Alert severity="success" sx={{ mb: 2 }} role="status">
            {t.setup.doneIntro}
          </Alert>
          <FactorList factors={overview.factors} label={t.security.methodsTitle} />
          <Button
            variant="contained"
            size="large"
            sx={{ mt: 2 }}
            data-testid="confirmation-continue"
            onClick={() => (recoveryCodes ? setPhase('codes') : navigate('/', { replace: true }))}
          >
            {recoveryCodes ? t.setup.toRecoveryCodes : t.setup.finish}
          </Button>
        </Box>
      )}

      {phase === 'codes' && recoveryCodes && (
        <RecoveryCodesPanel
          codes={recoveryCodes}
          generatedAt={codesAt}
          doneLabel={t.setup.finish}
          onDone={() => {
            setRecoveryCodes(null); // shown once: gone from memory once saved
            void navigate('/', { replace: true });
          }}
        />
      )}
    </PageLayout>
  );
}
