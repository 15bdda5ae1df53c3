/** The module's options once checked and completed with defaults (what PasskeyFactor injects). */
export const VALIDATED_PASSKEYS_OPTIONS = Symbol('VALIDATED_PASSKEYS_OPTIONS');
