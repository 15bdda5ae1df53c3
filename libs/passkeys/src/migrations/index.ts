import { Passkeys1764500800000 } from './1764500800000-Passkeys';

/** The passkey module's tables, for the host app's data source (after the library's own migrations). */
export const PASSKEY_MIGRATIONS = [Passkeys1764500800000];
