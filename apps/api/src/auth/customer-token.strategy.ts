import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { accessTokenStrategy, Principal, RequestWithPrincipal } from '@app/twofactor';
import { Strategy as JwtStrategy } from 'passport-jwt';
import { resolvedBefore, TokenPrincipals } from './token-principals';

/** Customers' access tokens (audience `customer`), for the global guard and for `AuthGuard('customer-jwt')`. */
@Injectable()
export class CustomerTokenStrategy extends PassportStrategy(JwtStrategy, accessTokenStrategy('customer')) {
  constructor(private readonly principals: TokenPrincipals) {
    super(principals.strategyOptions('customer'));
  }

  async validate(request: RequestWithPrincipal, payload: Record<string, unknown>): Promise<Principal | false> {
    return resolvedBefore(request, 'customer', payload) ?? (await this.principals.principalFor('customer', payload)) ?? false;
  }
}
