import type { Realm } from './principal';

/**
 * The name of the Passport strategy that turns a realm's access token into a Principal. The library
 * owns the name, the application owns the strategy (its keys, its sessions): it registers one per realm,
 * e.g. `class CustomerTokens extends PassportStrategy(JwtStrategy, accessTokenStrategy('customer'))`,
 * whose validate() resolves a Principal or false. A controller may then also say
 * `@UseGuards(AuthGuard(accessTokenStrategy('staff')))`, and gets the principal the global guard checked.
 */
export function accessTokenStrategy(realm: Realm): string {
  return `${realm}-jwt`;
}
