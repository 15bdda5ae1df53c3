import { useCallback, useEffect, useState } from 'react';
import { Button, Chip, List, ListItem, ListItemText, Stack } from '@mui/material';
import { accountApi } from '../api/account-api';
import type { SessionSummary } from '../api/types';
import { describeError } from '../components/describe-error';
import { ErrorAlert } from '../components/ErrorAlert';
import { t } from '../i18n';
import { deviceLabel } from './device-label';
import { Section } from './Section';

/** The account's live logins; any but this one can be signed out from here. */
export function SessionsSection({ notify }: { notify: (message: string) => void }) {
  const [sessions, setSessions] = useState<SessionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setSessions((await accountApi.sessions()).sessions);
    } catch (failure) {
      setError(describeError(failure));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const revoke = async (session: SessionSummary) => {
    setError(null);
    try {
      await accountApi.revokeSession(session.id);
      notify(t.security.sessionRevoked);
    } catch (failure) {
      setError(describeError(failure));
    }
    await load();
  };

  return (
    <Section id="sessions" title={t.security.sessionsTitle} intro={t.security.sessionsIntro}>
      <ErrorAlert message={error} testId="sessions-error" />
      <List disablePadding aria-label={t.security.sessionsTitle}>
        {(sessions ?? []).map((session) => {
          const label = deviceLabel(session.userAgent);
          return (
            <ListItem key={session.id} divider data-testid="session-item" data-session-id={session.id} data-current={session.current} sx={{ flexWrap: 'wrap', gap: 1 }}>
              <ListItemText
                primary={
                  <Stack direction="row" spacing={1} component="span" sx={{ alignItems: 'center' }}>
                    <span>{label}</span>
                    {session.current && <Chip size="small" color="primary" label={t.security.thisDevice} />}
                  </Stack>
                }
                secondary={t.security.sessionDetail(session.createdAt, session.lastUsedAt, session.ip)}
              />
              {!session.current && (
                <Button variant="outlined" size="small" onClick={() => void revoke(session)} aria-label={t.security.revokeSessionLabel(label)} data-testid="session-revoke">
                  {t.security.revokeSession}
                </Button>
              )}
            </ListItem>
          );
        })}
      </List>
    </Section>
  );
}
