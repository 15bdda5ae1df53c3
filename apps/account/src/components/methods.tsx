import PhoneIphone from '@mui/icons-material/PhoneIphone';
import Sms from '@mui/icons-material/Sms';
import EmailOutlined from '@mui/icons-material/EmailOutlined';
import Fingerprint from '@mui/icons-material/Fingerprint';
import VpnKey from '@mui/icons-material/VpnKey';
import { t } from '../i18n';

/** The customer's name for a kind of method. */
export function methodName(type: string): string {
  const names: Record<string, string> = { totp: t.methods.totp, sms: t.methods.sms, email: t.methods.email, recovery_code: t.methods.recovery_code, trusted_device: t.methods.trusted_device, passkey: t.methods.passkey };
  return names[type] ?? t.methods.other(type);
}

/** A decorative icon per kind of method (the name beside it says what it is). */
export function MethodIcon({ type }: { type: string }) {
  const props = { 'aria-hidden': true, fontSize: 'small' as const };
  if (type === 'totp') return <PhoneIphone {...props} />;
  if (type === 'sms') return <Sms {...props} />;
  if (type === 'email') return <EmailOutlined {...props} />;
  if (type === 'passkey') return <Fingerprint {...props} />;
  return <VpnKey {...props} />;
}
