import { Alert, Box, Card, Chip, CircularProgress, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { Title, useTranslate } from 'react-admin';
import { describeApiError } from '../httpClient';
import type { OutboxMessage } from '../types';
import { useOutbox } from './useOutbox';

// The texts hold the one-time code as their only 6-digit number (docs/api.md).
const extractCode = (body: string): string | null => /(?<!\d)\d{6}(?!\d)/.exec(body)?.[0] ?? null;

const MessageRow = ({ message }: { message: OutboxMessage }) => {
  const code = extractCode(message.body);
  return (
    <TableRow data-testid="outbox-message" data-channel={message.channel} data-to={message.to}>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{new Date(message.createdAt).toLocaleString()}</TableCell>
      <TableCell>
        <Chip size="small" label={message.channel.toUpperCase()} color={message.channel === 'sms' ? 'primary' : 'secondary'} />
      </TableCell>
      <TableCell>{message.to}</TableCell>
      <TableCell>{message.subject ?? '—'}</TableCell>
      <TableCell sx={{ fontFamily: 'monospace', fontWeight: 'bold' }} data-testid="outbox-code">
        {code ?? '—'}
      </TableCell>
      <TableCell>
        <Box component="pre" sx={{ m: 0, whiteSpace: 'pre-wrap', fontSize: '0.8rem', maxHeight: 160, overflow: 'auto' }}>
          {message.body}
        </Box>
      </TableCell>
    </TableRow>
  );
};

/** The dev outbox: what the dev SMS and email transports captured, newest first. */
export const MessageList = () => {
  const translate = useTranslate();
  const { data, error, isPending } = useOutbox({ refetchInterval: 5_000 });
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate('twofold.messages.title')} />
      <Alert severity="info" sx={{ mb: 2 }}>
        {translate('twofold.messages.explain')}
      </Alert>
      {isPending ? <CircularProgress /> : null}
      {error ? <Alert severity="error">{describeApiError(error)}</Alert> : null}
      {data === null ? <Alert severity="warning">{translate('twofold.messages.unavailable')}</Alert> : null}
      {data ? (
        <Card>
          <Table size="small" data-testid="outbox-table">
            <TableHead>
              <TableRow>
                <TableCell>{translate('twofold.messages.created')}</TableCell>
                <TableCell>{translate('twofold.messages.channel')}</TableCell>
                <TableCell>{translate('twofold.messages.to')}</TableCell>
                <TableCell>{translate('twofold.messages.subject')}</TableCell>
                <TableCell>{translate('twofold.messages.code')}</TableCell>
                <TableCell>{translate('twofold.messages.body')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.length === 0 ? (
                <TableRow>
                  <TableCell colSpan={6}>{translate('twofold.messages.empty')}</TableCell>
                </TableRow>
              ) : (
                data.map((message) => <MessageRow key={message.id} message={message} />)
              )}
            </TableBody>
          </Table>
        </Card>
      ) : null}
    </Box>
  );
};
