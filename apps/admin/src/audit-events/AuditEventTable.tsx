import type { MouseEvent } from 'react';
import { Box, Chip } from '@mui/material';
import { DataTable, DateField, Link, useCreatePath, useRecordContext } from 'react-admin';
import type { AuditEvent } from '../types';

const Column = DataTable.Col<AuditEvent>;

const Subject = ({ event }: { event: AuditEvent }) => {
  const createPath = useCreatePath();
  if (!event.subject) return <>—</>;
  if (event.subject.type === 'customer') {
    return (
      <Link to={createPath({ resource: 'customers', id: event.subject.id, type: 'show' })} onClick={(event: MouseEvent) => event.stopPropagation()}>
        {event.subject.id}
      </Link>
    );
  }
  return <>{`${event.subject.type} ${event.subject.id}`}</>;
};

const Actor = ({ event }: { event: AuditEvent }) => (
  <Box component="span" title={event.actor?.id ?? undefined}>
    {event.actor?.email ?? event.actor?.type ?? '—'}
  </Box>
);

/** The event's `data`, shown when a row is expanded. */
const AuditEventData = () => {
  const event = useRecordContext<AuditEvent>();
  if (!event) return null;
  return (
    <Box component="pre" sx={{ m: 0, fontSize: '0.8rem', whiteSpace: 'pre-wrap' }} data-testid="audit-event-data">
      {JSON.stringify({ actor: event.actor, subject: event.subject, data: event.data }, null, 2)}
    </Box>
  );
};

export const AuditEventTable = ({ showSubject = true }: { showSubject?: boolean }) => (
  <DataTable bulkActionButtons={false} rowClick={false} expand={<AuditEventData />} data-testid="audit-event-table">
    <Column source="at" render={(event) => <DateField record={event} source="at" showTime />} />
    <Column source="type" render={(event) => <Chip size="small" label={event.type} data-testid="audit-event-type" />} />
    <Column source="actor.email" disableSort render={(event) => <Actor event={event} />} />
    {showSubject ? <Column source="subject.id" disableSort render={(event) => <Subject event={event} />} /> : null}
    <Column source="ip" disableSort />
    <Column source="reason" disableSort sx={{ maxWidth: 360 }} />
  </DataTable>
);
