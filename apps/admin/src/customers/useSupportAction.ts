import { useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import type { TwofoldDataProvider } from '../dataProvider';
import type { CustomerDetail } from '../types';

type Action = (dataProvider: TwofoldDataProvider, customerId: string) => Promise<unknown>;

/**
 * Runs a support action on the customer in context, then notifies and reloads the page's data
 * (the record and its audit trail). Errors propagate so the dialog can show them.
 */
export function useSupportAction() {
  const dataProvider = useDataProvider<TwofoldDataProvider>();
  const customer = useRecordContext<CustomerDetail>();
  const notify = useNotify();
  const refresh = useRefresh();

  return async (action: Action, successMessage: string) => {
    if (!customer) return;
    await action(dataProvider, String(customer.id));
    notify(successMessage, { type: 'success' });
    refresh();
  };
}
