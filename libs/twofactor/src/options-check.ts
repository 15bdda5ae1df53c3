import { Injectable, OnModuleInit } from '@nestjs/common';
import { FactorRegistry } from './factors/factor-registry';
import { TwoFactorOptions } from './two-factor.options';

/**
 * The options against the registered factor kinds: a policy naming a type nobody registered, or making
 * a never-primary type (email) primary, is a configuration error to stop the boot with, not a 422 later.
 * Throws an Error naming the bad option.
 */
export function checkTwoFactorOptions(options: TwoFactorOptions, registry: FactorRegistry): void {
  const realms = Object.keys(options.policies ?? {});
  if (!realms.length) throw new Error('TwoFactorOptions.policies: at least one realm needs a policy');
  for (const realm of realms) {
    const policy = options.policies[realm as keyof TwoFactorOptions['policies']];
    for (const role of ['primaryTypes', 'secondaryTypes'] as const) {
      for (const type of policy[role]) {
        const where = `TwoFactorOptions.policies.${realm}.${role}`;
        if (!registry.has(type)) throw new Error(`${where}: "${type}" is not a registered factor type (registered: ${registry.types().join(', ') || 'none'})`);
        if (role === 'primaryTypes' && !registry.get(type).mayBePrimary) throw new Error(`${where}: "${type}" may never be primary`);
      }
    }
  }
  for (const [realm, roles] of Object.entries(options.roles ?? {})) {
    if (!realms.includes(realm)) throw new Error(`TwoFactorOptions.roles.${realm}: no such realm in policies`);
    if (new Set(roles).size !== roles!.length) throw new Error(`TwoFactorOptions.roles.${realm}: a role is listed twice`);
  }
}

/** Runs the registry's and the options' checks when the module starts. */
@Injectable()
export class TwoFactorStartupCheck implements OnModuleInit {
  constructor(
    private readonly options: TwoFactorOptions,
    private readonly registry: FactorRegistry,
  ) {}

  onModuleInit(): void {
    checkTwoFactorOptions(this.options, this.registry);
  }
}
