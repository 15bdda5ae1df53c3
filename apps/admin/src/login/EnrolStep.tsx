import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Box, Button, CircularProgress, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { describeApiError } from '../httpClient';
import type { FactorVerifyAnswer, TotpEnrolment } from '../types';
import { CodeField } from './CodeField';
import { confirmEnrolment, isSixDigitCode, startTotpEnrolment } from './loginApi';
import { StepError } from './StepError';

interface EnrolStepProps {
  enrolToken: string;
  onEnrolled: (answer: FactorVerifyAnswer) => void;
  onRestart: () => void;
}

// The SVG comes from our own API; as an <img> it cannot run script or touch the page.
const svgDataUrl = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

export const EnrolStep = ({ enrolToken, onEnrolled, onRestart }: EnrolStepProps) => {
  const translate = useTranslate();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    // Creating the pending factor is not idempotent: never do it twice for one token.
    if (started.current) return;
    started.current = true;
    startTotpEnrolment(enrolToken).then(setEnrolment, (caught: unknown) => setError(describeApiError(caught)));
  }, [enrolToken]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!enrolment || !isSixDigitCode(code)) return;
    setBusy(true);
    setError(null);
    try {
      onEnrolled(await confirmEnrolment(enrolToken, enrolment.factor.id, code));
    } catch (caught) {
      setError(describeApiError(caught));
      setBusy(false);
    }
  };

  if (!enrolment) {
    return error ? (
      <Box>
        <StepError message={error} />
        <Button variant="contained" fullWidth onClick={onRestart} data-testid="login-restart">
          {translate('twofold.login.start_again')}
        </Button>
      </Box>
    ) : (
      <Box sx={{ display: 'flex', justifyContent: 'center', p: 3 }}>
        <CircularProgress aria-label={translate('ra.page.loading')} />
      </Box>
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-label={translate('twofold.enrol.title')}>
      <StepError message={error} />
      <Typography variant="body2" gutterBottom>
        {translate('twofold.enrol.scan')}
      </Typography>
      <Box sx={{ display: 'flex', justifyContent: 'center', my: 1, p: 1, bgcolor: '#fff', borderRadius: 1 }}>
        <img
          src={svgDataUrl(enrolment.qrSvg)}
          alt={translate('twofold.enrol.qr_alt')}
          width={200}
          height={200}
          data-testid="enroll-qr"
        />
      </Box>
      <Typography variant="body2" color="text.secondary">
        {translate('twofold.enrol.manual')}
      </Typography>
      <Typography
        component="code"
        data-testid="enroll-secret"
        sx={{ display: 'block', fontFamily: 'monospace', wordBreak: 'break-all', bgcolor: 'action.hover', p: 1, my: 1 }}
      >
        {enrolment.secret}
      </Typography>
      <CodeField label={translate('twofold.login.code')} value={code} onChange={setCode} testId="enroll-code" autoFocus={false} />
      <Button
        type="submit"
        variant="contained"
        fullWidth
        sx={{ mt: 2 }}
        disabled={busy || !isSixDigitCode(code)}
        data-testid="enroll-submit"
        startIcon={busy ? <CircularProgress size={18} color="inherit" /> : null}
      >
        {translate('twofold.enrol.confirm')}
      </Button>
    </form>
  );
};
