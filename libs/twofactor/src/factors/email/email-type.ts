/**
 * The email factor's type name. Besides the factor itself, two rules name it: a password reset (whose
 * link already proved the inbox) cannot use it, and its primary refusal has its own error code.
 */
export const EMAIL_FACTOR_TYPE = 'email';
