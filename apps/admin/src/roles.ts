import { usePermissions } from 'react-admin';
import type { StaffRole } from './types';

const RANK: Record<StaffRole, number> = { agent: 1, supervisor: 2, admin: 3 };

export const isStaffRole = (value: unknown): value is StaffRole =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(RANK, value);

/** Roles are ordered: agent < supervisor < admin. */
export const hasRole = (permissions: unknown, minimum: StaffRole): boolean =>
  isStaffRole(permissions) && RANK[permissions] >= RANK[minimum];

/** True once the caller's role is known and is at least `minimum`; false while loading. */
export function useHasRole(minimum: StaffRole): boolean {
  const { permissions, isPending } = usePermissions<StaffRole>();
  return !isPending && hasRole(permissions, minimum);
}
