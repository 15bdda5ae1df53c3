import { Alert, Card, CardContent, Typography } from '@mui/material';
import { ListContextProvider, ResourceContextProvider, useListController, useTranslate } from 'react-admin';
import { DeliveryTable } from './DeliveryTable';

/** The dashboard's dead letters: the latest failed deliveries across customers. */
export const FailedDeliveries = () => {
  const translate = useTranslate();
  const list = useListController({ resource: 'deliveries', filter: { status: 'failed' }, sort: { field: 'createdAt', order: 'DESC' }, perPage: 5, disableSyncWithLocation: true });
  return (
    <Card component="section" aria-labelledby="failed-deliveries-title" data-testid="failed-deliveries" sx={{ flex: '1 1 100%' }}>
      <CardContent>
        <Typography variant="h6" component="h2" id="failed-deliveries-title" gutterBottom>
          {translate('twofold.deliveries.failed_title')}
          {list.total ? ` (${list.total})` : ''}
        </Typography>
        {list.total === 0 ? <Alert severity="success">{translate('twofold.deliveries.none_failed')}</Alert> : null}
        {list.total ? (
          // The dashboard is outside any <Resource>: the table's DataTable checks access for one.
          <ResourceContextProvider value="deliveries">
            <ListContextProvider value={list}>
              <DeliveryTable showCustomer />
            </ListContextProvider>
          </ResourceContextProvider>
        ) : null}
      </CardContent>
    </Card>
  );
};
