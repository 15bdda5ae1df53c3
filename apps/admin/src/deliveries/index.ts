export { CustomerDeliveries } from './CustomerDeliveries';
export { DeliveryTable } from './DeliveryTable';
export { FailedDeliveries } from './FailedDeliveries';
