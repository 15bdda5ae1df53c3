import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, AlertTitle, Box, Button, IconButton, Stack, TextField, Tooltip, Typography } from '@mui/material';
import ContentCopy from '@mui/icons-material/ContentCopy';
import { accountApi } from '../api/account-api';
import type { Enrolment, FactorRole, FactorVerified, TotpEnrolment } from '../api/types';
import { CodeField } from '../components/CodeField';
import { describeError } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { methodName } from '../components/methods';
import { useCountdown } from '../components/use-countdown';
import { t } from '../i18n';

type RunChange = <T>(action: () => Promise<T>) => Promise<T>;

interface EnrolMethodProps {
  type: string;
  role: FactorRole;
  email: string;
  onVerified: (result: FactorVerified) => void;
  onBack: () => void;
  /** Wraps the calls that change the account (the security page asks for a step-up when needed). */
  run?: RunChange;
}

const isTotp = (enrolment: Enrolment | null): enrolment is TotpEnrolment => enrolment !== null && 'secret' in enrolment;
// The server renders the QR code itself (the secret never leaves for a QR service); shown as an image.
const svgDataUrl = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
// Groups of four are easier to type into an app by hand.
const grouped = (secret: string) => secret.replace(/=+$/, '').replace(/(.{4})/g, '$1 ').trim();

const direct: RunChange = (action) => action();

/**
 * Adds one method and confirms it with a code: the authenticator app gets a QR code and a manual key;
 * a text message first asks for the number (with the SMS risk notice); email sends to the login address.
 */
export function EnrolMethod({ type, role, email, onVerified, onBack, run = direct }: EnrolMethodProps) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [keyCopied, setKeyCopied] = useState(false);
  const [resendAt, setResendAt] = useState<string | null>(null);
  const resendIn = useCountdown(resendAt);
  // A second enrolment would replace the first secret: start the app's only once.
  const started = useRef(false);

  const start = async (phoneNumber?: string) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await run(() => accountApi.enrol(type, role, phoneNumber));
      setEnrolment(answer);
      if (!isTotp(answer)) setResendAt(answer.resendAvailableAt);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (type !== 'totp' || started.current) return;
    started.current = true;
    void start();
  }, [type]);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!enrolment) return;
    setBusy(true);
    setError(null);
    try {
      onVerified(await run(() => accountApi.confirmFactor(enrolment.factor.id, code)));
    } catch (failure) {
      setError(describeError(failure));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  const resend = async () => {
    if (!enrolment) return;
    setError(null);
    try {
      const answer = await accountApi.resendEnrolment(enrolment.factor.id);
      setResendAt(answer.resendAvailableAt);
      setNotice(t.code.resent);
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  const copyKey = async (secret: string) => {
    try {
      await navigator.clipboard.writeText(secret);
      setKeyCopied(true);
    } catch {
      setKeyCopied(false);
    }
  };

  const codeForm = (
    <Box component="form" onSubmit={(event) => void confirm(event)} noValidate data-testid="enrol-code-form">
      <CodeField value={code} onChange={setCode} testId="enrol-code" autoFocus={!isTotp(enrolment)} />
      {enrolment && !isTotp(enrolment) && (
        <Button onClick={() => void resend()} disabled={resendIn > 0} data-testid="enrol-resend" sx={{ px: 0 }}>
          {resendIn > 0 ? t.code.resendIn(resendIn) : t.code.resend}
        </Button>
      )}
      <div aria-live="polite">{notice && <Alert severity="info" sx={{ my: 1 }}>{notice}</Alert>}</div>
      <ErrorAlert message={error} testId="enrol-error" />
      <Stack direction="row" spacing={2} sx={{ mt: 2 }}>
        <Button type="submit" variant="contained" size="large" disabled={busy || code.length !== 6} data-testid="enrol-verify">
          {t.setup.verify}
        </Button>
        <Button onClick={onBack} data-testid="enrol-back">
          {t.setup.changeMethod}
        </Button>
      </Stack>
    </Box>
  );

  return (
    <Box data-testid={`enrol-${type}`}>
      <Typography component="h2" variant="h5" sx={{ mb: 2 }}>
        {methodName(type)}
      </Typography>

      {type === 'totp' && (
        <>
          {!enrolment && !error && <Typography role="status">{t.loading}</Typography>}
          {isTotp(enrolment) && (
            <Box component="ol" sx={{ pl: 2.5, '& > li': { mb: 2 } }}>
              <li>
                <Typography>{t.setup.totpStep1}</Typography>
              </li>
              <li>
                <Typography>{t.setup.totpStep2}</Typography>
                <Box component="img" src={svgDataUrl(enrolment.qrSvg)} alt={t.setup.qrAlt} data-testid="totp-qr" sx={{ width: 208, height: 208, display: 'block', my: 1, border: 1, borderColor: 'divider', bgcolor: '#fff' }} />
                <Typography variant="body2">{t.setup.cannotScan}</Typography>
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <Typography
                    component="code"
                    aria-label={t.setup.manualKey}
                    data-testid="totp-secret"
                    data-secret={enrolment.secret}
                    sx={{ fontFamily: 'monospace', fontSize: '1.05rem', bgcolor: 'grey.100', px: 1, py: 0.5, borderRadius: 1, wordBreak: 'break-all' }}
                  >
                    {grouped(enrolment.secret)}
                  </Typography>
                  <Tooltip title={keyCopied ? t.setup.keyCopied : t.setup.copyKey}>
                    <IconButton onClick={() => void copyKey(enrolment.secret)} aria-label={t.setup.copyKey}>
                      <ContentCopy aria-hidden fontSize="small" />
                    </IconButton>
                  </Tooltip>
                </Stack>
              </li>
              <li>
                <Typography>{t.setup.totpStep3}</Typography>
                {codeForm}
              </li>
            </Box>
          )}
          {!enrolment && <ErrorAlert message={error} testId="enrol-error" />}
        </>
      )}

      {type === 'sms' && !enrolment && (
        <Box component="form" onSubmit={(event) => { event.preventDefault(); void start(phone); }} noValidate data-testid="sms-phone-form">
          <Alert severity="warning" sx={{ mb: 2 }} data-testid="sms-risk-notice">
            <AlertTitle>{t.setup.smsRiskTitle}</AlertTitle>
            {t.setup.smsRisk}
          </Alert>
          <TextField
            label={t.setup.phone}
            type="tel"
            value={phone}
            onChange={(event) => setPhone(event.target.value)}
            autoComplete="tel"
            autoFocus
            required
            fullWidth
            margin="normal"
            helperText={t.setup.phoneHelp}
            slotProps={{ htmlInput: { 'data-testid': 'sms-phone', maxLength: 32 } }}
          />
          <ErrorAlert message={error} testId="enrol-error" />
          <Stack direction="row" spacing={2} sx={{ mt: 2 }}>
            <Button type="submit" variant="contained" size="large" disabled={busy || phone.trim().length < 6} data-testid="sms-send">
              {t.setup.sendCode}
            </Button>
            <Button onClick={onBack}>{t.setup.changeMethod}</Button>
          </Stack>
        </Box>
      )}

      {type === 'email' && !enrolment && (
        <Box>
          <Typography>{t.setup.emailIntro(email)}</Typography>
          <ErrorAlert message={error} testId="enrol-error" />
          <Stack direction="row" spacing={2} sx={{ mt: 2 }}>
            <Button variant="contained" size="large" disabled={busy} onClick={() => void start()} data-testid="email-send" autoFocus>
              {t.setup.sendEmail}
            </Button>
            <Button onClick={onBack}>{t.setup.changeMethod}</Button>
          </Stack>
        </Box>
      )}

      {enrolment && !isTotp(enrolment) && (
        <>
          <Typography data-testid="enrol-sent-to">{t.code.sentPrompt(enrolment.sentTo)}</Typography>
          {codeForm}
        </>
      )}
    </Box>
  );
}
