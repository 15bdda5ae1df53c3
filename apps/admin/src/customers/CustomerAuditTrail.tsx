import { Box, Typography } from '@mui/material';
import { Pagination, ReferenceManyField, useRecordContext, useTranslate } from 'react-admin';
import { AuditEventTable } from '../audit-events/AuditEventTable';

/** The audit events whose subject is this customer, newest first. */
export const CustomerAuditTrail = () => {
  const translate = useTranslate();
  const record = useRecordContext<{ factors?: unknown }>();
  return (
    <Box component="section" aria-labelledby="audit-trail-title" data-testid="customer-audit-trail" sx={{ mt: 3 }}>
      <Typography variant="h6" component="h2" id="audit-trail-title" gutterBottom>
        {translate('twofold.customers.audit_trail')}
      </Typography>
      <ReferenceManyField
        reference="audit-events"
        target="subjectId"
        sort={{ field: 'at', order: 'DESC' }}
        perPage={10}
        // Wait for the customer's detail: reading it records the `customer.viewed` event this trail should show.
        queryOptions={{ enabled: Array.isArray(record?.factors) }}
        pagination={<Pagination rowsPerPageOptions={[10, 25, 50]} />}
      >
        <AuditEventTable showSubject={false} />
      </ReferenceManyField>
    </Box>
  );
};
