import { useCallback, useEffect, useState } from 'react';
import { Button, List, ListItem, ListItemText, Typography } from '@mui/material';
import { accountApi } from '../api/account-api';
import { ApiError } from '../api/client';
import type { TrustedDevice } from '../api/types';
import { describeError } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { t } from '../i18n';
import { Section } from './Section';

/** Remembered (trusted) devices, each of which can be forgotten. Hidden on an API without them. */
export function DevicesSection({ notify }: { notify: (message: string) => void }) {
  const [devices, setDevices] = useState<TrustedDevice[] | null>(null);
  const [supported, setSupported] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const answer = await accountApi.devices();
      setDevices(Array.isArray(answer) ? answer : ((answer as { devices?: TrustedDevice[] }).devices ?? []));
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) setSupported(false);
      else setError(describeError(failure));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const forget = async (device: TrustedDevice) => {
    setError(null);
    try {
      await accountApi.revokeDevice(device.id);
      notify(t.security.deviceForgotten);
    } catch (failure) {
      setError(describeError(failure));
    }
    await load();
  };

  if (!supported) return null;
  return (
    <Section id="devices" title={t.security.devicesTitle} intro={t.security.devicesIntro}>
      <ErrorAlert message={error} testId="devices-error" />
      {devices?.length === 0 && <Typography data-testid="no-devices">{t.security.noDevices}</Typography>}
      <List disablePadding aria-label={t.security.devicesTitle}>
        {(devices ?? []).map((device) => (
          <ListItem key={device.id} divider data-testid="device-item" sx={{ flexWrap: 'wrap', gap: 1 }}>
            <ListItemText primary={device.label} secondary={t.security.deviceDetail(device.createdAt, device.lastUsedAt, device.expiresAt)} />
            <Button variant="outlined" size="small" onClick={() => void forget(device)} aria-label={t.security.forgetDeviceLabel(device.label)} data-testid="device-forget">
              {t.security.forgetDevice}
            </Button>
          </ListItem>
        ))}
      </List>
    </Section>
  );
}
