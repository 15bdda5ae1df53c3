import type { Realm } from '@app/twofactor';

/** The table that holds a realm's accounts (each has id, email and last_login_at). */
export function accountTable(realm: Realm): 'customers' | 'staff' {
  return realm === 'staff' ? 'staff' : 'customers';
}
