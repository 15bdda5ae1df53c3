import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils, HttpError, type DataProvider, type RaRecord, type UpdateParams } from 'react-admin';
import { apiUrl, httpClient } from './httpClient';
import { apiOrigin } from './session';
import type {
  AuditVerification,
  CustomerDetail,
  Delivery,
  OutboxMessage,
  PendingReset,
  Stats,
  SupportActionInput,
} from './types';

export interface TwofoldDataProvider extends DataProvider {
  resetFactor(customerId: string, factorId: string, input: Required<SupportActionInput>): Promise<CustomerDetail>;
  /** Asks for a whole reset: it waits for a second supervisor's approval (see resets/). */
  resetMfa(customerId: string, input: Required<SupportActionInput>): Promise<PendingReset>;
  approveReset(resetId: string): Promise<PendingReset>;
  cancelReset(resetId: string, input: { reason: string }): Promise<PendingReset>;
  unlock(customerId: string, input: { reason: string }): Promise<CustomerDetail>;
  /** Re-sends a failed notice as a new delivery (codes never are). */
  resendDelivery(deliveryId: string, input: { reason: string }): Promise<Delivery>;
  verifyAudit(): Promise<AuditVerification>;
  stats(): Promise<Stats>;
  /** The dev outbox, or `null` when the API does not expose one (404). */
  outbox(): Promise<OutboxMessage[] | null>;
}

const rest = simpleRestProvider(apiUrl, httpClient);

// The API rejects unknown body fields, so staff writes send only what the contract lists.
const STAFF_FIELDS = ['email', 'name', 'role', 'disabled'] as const;

function staffBody(data: Partial<RaRecord>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of STAFF_FIELDS) {
    if (data[field] !== undefined) body[field] = data[field];
  }
  return body;
}

const customerPath = (customerId: string, ...rest: string[]) =>
  [`${apiUrl}/customers/${encodeURIComponent(customerId)}`, ...rest.map(encodeURIComponent)].join('/');

async function send<T>(url: string, method: string, body?: unknown): Promise<T> {
  const { json } = await httpClient(url, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return json as T;
}

export const dataProvider: TwofoldDataProvider = {
  ...rest,

  create: (resource, params) =>
    resource === 'staff' ? rest.create(resource, { ...params, data: staffBody(params.data) }) : rest.create(resource, params),

  // simple-rest updates with PUT and the whole record; the staff API takes a PATCH of the fields.
  update: async <RecordType extends RaRecord = RaRecord>(resource: string, params: UpdateParams) => {
    if (resource !== 'staff') return rest.update<RecordType>(resource, params);
    const data = await send<RecordType>(`${apiUrl}/staff/${encodeURIComponent(params.id)}`, 'PATCH', staffBody(params.data));
    return { data };
  },

  resetFactor: (customerId, factorId, input) => send(customerPath(customerId, 'factors', factorId), 'DELETE', input),
  resetMfa: (customerId, input) => send(customerPath(customerId, 'reset-mfa'), 'POST', input),
  approveReset: (resetId) => send(`${apiUrl}/resets/${encodeURIComponent(resetId)}/approve`, 'POST'),
  cancelReset: (resetId, input) => send(`${apiUrl}/resets/${encodeURIComponent(resetId)}/cancel`, 'POST', input),
  unlock: (customerId, input) => send(customerPath(customerId, 'unlock'), 'POST', input),
  resendDelivery: (deliveryId, input) => send(`${apiUrl}/deliveries/${encodeURIComponent(deliveryId)}/resend`, 'POST', input),
  verifyAudit: () => send(`${apiUrl}/audit-events/verify`, 'GET'),
  stats: () => send(`${apiUrl}/stats`, 'GET'),

  outbox: async () => {
    try {
      // A public dev route: no staff token is sent to it.
      const { json } = await fetchUtils.fetchJson(`${apiOrigin}/dev/outbox`);
      const list: unknown = Array.isArray(json) ? json : (json as { messages?: unknown } | null)?.messages;
      return Array.isArray(list) ? (list as OutboxMessage[]) : [];
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return null;
      throw error;
    }
  },
};
