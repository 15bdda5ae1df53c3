import { Box, Typography } from '@mui/material';
import { Pagination, ReferenceManyField, useTranslate } from 'react-admin';
import { DeliveryTable } from './DeliveryTable';

/** The customer's delivery log, newest first, with re-send on a failed notice. */
export const CustomerDeliveries = () => {
  const translate = useTranslate();
  return (
    <Box component="section" aria-labelledby="deliveries-title" data-testid="customer-deliveries" sx={{ mt: 3 }}>
      <Typography variant="h6" component="h2" id="deliveries-title" gutterBottom>
        {translate('twofold.customers.deliveries')}
      </Typography>
      <ReferenceManyField reference="deliveries" target="customerId" sort={{ field: 'createdAt', order: 'DESC' }} perPage={10} pagination={<Pagination rowsPerPageOptions={[10, 25, 50]} />}>
        <DeliveryTable />
      </ReferenceManyField>
    </Box>
  );
};
