import { Chip } from '@mui/material';
import PhonelinkLockIcon from '@mui/icons-material/PhonelinkLock';
import SmsIcon from '@mui/icons-material/Sms';
import EmailIcon from '@mui/icons-material/Email';
import FingerprintIcon from '@mui/icons-material/Fingerprint';
import { useTranslate } from 'react-admin';
import type { FactorType } from '../types';

const ICONS: Record<FactorType, typeof SmsIcon> = { totp: PhonelinkLockIcon, sms: SmsIcon, email: EmailIcon, passkey: FingerprintIcon };

export const FactorTypeChip = ({ type }: { type: FactorType }) => {
  const translate = useTranslate();
  const Icon = ICONS[type];
  return (
    <Chip
      size="small"
      variant="outlined"
      icon={Icon ? <Icon fontSize="small" /> : undefined}
      label={translate(`twofold.factor_type.${type}`, { _: type })}
      data-factor-type={type}
    />
  );
};
