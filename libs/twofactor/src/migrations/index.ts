import { TwoFactorBaseline1764500700000 } from './1764500700000-TwoFactorBaseline';
import { OpenFactorTypes1764500700001 } from './1764500700001-OpenFactorTypes';

/** The library's migrations, in order: add them to the host app's data source after its own. */
export const TWO_FACTOR_MIGRATIONS = [TwoFactorBaseline1764500700000, OpenFactorTypes1764500700001];
