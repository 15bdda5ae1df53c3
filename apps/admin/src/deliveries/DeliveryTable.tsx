import type { MouseEvent } from 'react';
import { Box } from '@mui/material';
import { DataTable, DateField, Link, useCreatePath } from 'react-admin';
import type { Delivery } from '../types';
import { DeliveryStatusChip } from './DeliveryStatusChip';
import { ResendDeliveryButton } from './ResendDeliveryButton';

const Column = DataTable.Col<Delivery>;

const CustomerLink = ({ delivery }: { delivery: Delivery }) => {
  const createPath = useCreatePath();
  if (!delivery.customerId) return <>—</>;
  return (
    <Link to={createPath({ resource: 'customers', id: delivery.customerId, type: 'show' })} onClick={(event: MouseEvent) => event.stopPropagation()}>
      {delivery.customerId}
    </Link>
  );
};

/** Deliveries as the API lists them: masked recipient, status, why it failed; never the message. */
export const DeliveryTable = ({ showCustomer = false }: { showCustomer?: boolean }) => (
  <DataTable bulkActionButtons={false} rowClick={false} data-testid="delivery-table">
    <Column source="createdAt" render={(delivery) => <DateField record={delivery} source="createdAt" showTime />} />
    {showCustomer ? <Column source="customerId" disableSort render={(delivery) => <CustomerLink delivery={delivery} />} /> : null}
    <Column source="channel" disableSort />
    <Column source="kind" disableSort render={(delivery) => `${delivery.kind}${delivery.purpose && delivery.purpose !== 'notice' ? ` (${delivery.purpose})` : ''}`} />
    <Column source="recipient" disableSort />
    <Column source="status" disableSort render={(delivery) => <DeliveryStatusChip delivery={delivery} />} />
    <Column source="reason" disableSort sx={{ maxWidth: 320 }} render={(delivery) => <Box component="span" sx={{ typography: 'body2' }}>{delivery.reason ?? '—'}</Box>} />
    <Column source="attempts" disableSort />
    <Column source="id" label="" disableSort render={(delivery) => <ResendDeliveryButton delivery={delivery} />} />
  </DataTable>
);
