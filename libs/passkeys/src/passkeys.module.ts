import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { PasskeyFactor } from './passkey.factor';
import { PasskeysOptions, validatePasskeysOptions } from './passkeys.options';
import { VALIDATED_PASSKEYS_OPTIONS } from './passkeys.tokens';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<PasskeysOptions>().setClassMethodName('forRoot').build();

/**
 * Passkeys as a factor kind. Pass it to `TwoFactorModule.forRoot*({ factors: [PasskeysModule.forRoot(…)] })`
 * and add PASSKEY_MIGRATIONS to the data source; it needs nothing else from the host app.
 */
@Module({
  providers: [
    // Checked when the app boots: a wrong RP id or origin must stop it, not fail every passkey later.
    { provide: VALIDATED_PASSKEYS_OPTIONS, inject: [MODULE_OPTIONS_TOKEN], useFactory: validatePasskeysOptions },
    PasskeyFactor,
  ],
  exports: [PasskeyFactor],
})
export class PasskeysModule extends ConfigurableModuleClass {}
