/**
 * Every word the customer's pages show, in one place, so a translation is a copy of this file.
 * Components never hold text of their own; texts with values are functions.
 */

/** A wait in plain words: "45 seconds", "15 minutes", "2 hours". */
function wait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 90) return `${s} ${s === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 120) return `${minutes} minutes`;
  return `${Math.round(minutes / 60)} hours`;
}

const dateTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : 'never';

export const en = {
  appName: 'Twofold',
  appTitle: 'Your account security',
  skipToContent: 'Skip to main content',
  loading: 'Loading…',
  wait,
  dateTime,

  common: {
    continue: 'Continue',
    cancel: 'Cancel',
    back: 'Back',
    close: 'Close',
    confirm: 'Confirm',
    signOut: 'Sign out',
    required: 'Required',
    showPassword: 'Show password',
    hidePassword: 'Hide password',
  },

  methods: {
    totp: 'Authenticator app',
    sms: 'Text message (SMS)',
    email: 'Email',
    recovery_code: 'Recovery code',
    trusted_device: 'Remembered device',
    passkey: 'Passkey',
    other: (type: string) => type,
    totpDescription: 'A 6-digit code from an app on your phone, such as Google Authenticator, Microsoft Authenticator or 1Password. Works without signal.',
    smsDescription: 'A 6-digit code sent by text to your mobile phone.',
    emailDescription: (hint: string) => `A 6-digit code sent to your email address${hint ? ` (${hint})` : ''}.`,
    passkeyDescription: 'Your fingerprint, face or screen lock on this device, or a security key. Nothing to type, and it works only on this site, so it cannot be phished.',
    recommended: 'Recommended',
    primary: 'Default',
    primaryLong: 'Default method (primary)',
    secondary: 'Backup',
    secondaryLong: 'Backup method (secondary)',
  },

  errors: {
    generic: 'Something went wrong. Please try again.',
    network: 'We could not reach Twofold. Check your connection and try again.',
    invalid_credentials: 'That email address and password do not match an account.',
    invalid_code: (attemptsRemaining?: number) =>
      attemptsRemaining === undefined
        ? 'That code is not right. Check it and try again.'
        : `That code is not right. You have ${attemptsRemaining} ${attemptsRemaining === 1 ? 'try' : 'tries'} left before we pause sign-in.`,
    code_expired: 'That code has expired. Ask for a new one.',
    mfa_token_invalid: 'This sign-in has timed out or had too many wrong codes. Please start again with your password.',
    mfa_locked: (seconds?: number) =>
      seconds === undefined
        ? 'Too many wrong codes: sign-in with a code is paused for now. We have emailed you about it.'
        : `Too many wrong codes: sign-in with a code is paused for ${wait(seconds)}. We have emailed you about it. If this was not you, change your password once you are back in.`,
    resend_too_soon: (seconds?: number) => `You can ask for a new code ${seconds === undefined ? 'shortly' : `in ${wait(seconds)}`}.`,
    too_many_requests: (seconds?: number) => `Too many attempts. Please wait ${seconds === undefined ? 'a little' : wait(seconds)} and try again.`,
    email_taken: 'There is already an account with that email address. Sign in, or reset your password.',
    invalid_phone: 'That does not look like a mobile number. Include the country code, for example +44 7700 900123.',
    reset_token_invalid: 'This reset link has expired or was already used. Ask for a new one.',
    recent_mfa_required: 'Please confirm it is you with a code first.',
    secondary_required: 'You need at least one backup method. Add another one before removing this.',
    primary_required: 'You need a default method. Make another method the default before removing this.',
    primary_exists: 'You already have a default method.',
    factor_exists: 'You already have this method.',
    email_not_allowed_as_primary: 'Email can only be a backup method.',
    invalid_credential: (attemptsRemaining?: number) =>
      attemptsRemaining === undefined
        ? 'That passkey was not accepted. Try again, or use another method.'
        : `That passkey was not accepted. You have ${attemptsRemaining} ${attemptsRemaining === 1 ? 'try' : 'tries'} left before we pause sign-in.`,
    factor_not_found: 'That method no longer exists. The page has been refreshed.',
    session_expired: 'You were signed out after a period of inactivity. Please sign in again.',
    validation_failed: 'Please check what you entered.',
    password_too_short: 'Use at least 12 characters.',
    password_too_long: 'Use at most 128 characters.',
    password_mismatch: 'The two passwords do not match.',
    password_same: 'Choose a password different from your current one.',
    password_common: 'That password is too common. Choose another one, for example three or four unrelated words.',
    step_up_cancelled: 'The change was not made: it needs a code to confirm it is you.',
  },

  signIn: {
    title: 'Sign in',
    intro: 'Sign in to manage how you protect your account.',
    email: 'Email address',
    password: 'Password',
    submit: 'Sign in',
    forgot: 'Forgotten your password?',
    noAccount: 'New here?',
    register: 'Create an account',
    signedOut: 'You have signed out.',
    passwordChanged: 'Your password has been changed. You are signed in.',
    trustedDevice: 'This device is remembered, so we did not ask for a code.',
  },

  code: {
    title: 'Check it is you',
    titleStepUp: 'Confirm it is you',
    stepUpIntro: 'This change needs a fresh code from one of your methods.',
    label: '6-digit code',
    submit: 'Continue',
    totpPrompt: 'Open your authenticator app and enter the 6-digit code it shows for Twofold.',
    sentPrompt: (sentTo: string) => `We have sent a 6-digit code to ${sentTo}. It may take a minute to arrive.`,
    sending: 'Sending a code…',
    resend: 'Send a new code',
    resendIn: (seconds: number) => `Send a new code (available in ${wait(seconds)})`,
    resent: 'A new code is on its way. The previous one no longer works.',
    expiresAt: (iso: string) => `The code works until ${new Date(iso).toLocaleTimeString('en-GB', { timeStyle: 'short' })}.`,
    useAnother: 'Use another method',
    chooseMethod: 'Choose how to get your code',
    useRecoveryCode: 'Use a recovery code',
    recoveryCodeLabel: 'Recovery code',
    recoveryCodeHelp: 'One of the codes you saved when you set up two-step sign-in, like ABCD-EFGH-JKMN-PQRS. Each works once.',
    // The length is the API's TRUSTED_DEVICE_DAYS, which the pages cannot see: no number here.
    remember: 'Remember this device',
    rememberHelp: 'We will not ask this device for a code for a while. You will still need your password. Only tick this on a device you alone use.',
    recoveryRemaining: (n: number) => `You have ${n} recovery ${n === 1 ? 'code' : 'codes'} left.`,
    recoveryLow: (n: number) => `You have only ${n} recovery ${n === 1 ? 'code' : 'codes'} left. Get new ones on your security page.`,
    noMethods: 'There is no method to send a code to. Use a recovery code, or call us.',
  },

  passkey: {
    prompt: 'Use the passkey for Twofold on this device, on your phone or on a security key.',
    use: 'Use my passkey',
    intro: 'Your browser will ask you to create a passkey with your fingerprint, face or screen lock, or with a security key.',
    label: 'Name for this passkey (optional)',
    labelHelp: 'Helps you tell your passkeys apart, for example "Work laptop".',
    create: 'Create passkey',
    problems: {
      cancelled: 'The passkey prompt was closed, so nothing happened. Try again when you are ready, or use another method.',
      unsupported: 'This browser cannot use passkeys. Use another method or another browser.',
      already_registered: 'This device already holds a passkey for your account.',
      failed: 'The passkey could not be used. Try again, or use another method.',
    },
  },

  register: {
    title: 'Create your account',
    email: 'Email address',
    password: 'Choose a password',
    confirm: 'Type the password again',
    rules: 'Use 12 to 128 characters. Long is strong: three or four unrelated words work well. Very common passwords are refused.',
    submit: 'Create account',
    haveAccount: 'Already have an account?',
    signIn: 'Sign in',
    created: 'Your account is ready. Sign in to set up two-step sign-in.',
  },

  forgot: {
    title: 'Reset your password',
    intro: 'Enter the email address of your account. We will email you a link to choose a new password.',
    email: 'Email address',
    submit: 'Email me a link',
    sent: 'If there is an account for that address, we have emailed it a link. It works for a short time only. Check your spam folder if it does not arrive.',
    backToSignIn: 'Back to sign in',
  },

  reset: {
    title: 'Choose a new password',
    intro: 'To keep your account safe, confirm it is you with one of your methods as well.',
    newPassword: 'New password',
    confirm: 'Type the new password again',
    submit: 'Change password',
    checking: 'Checking your link…',
    noToken: 'This page needs the link from your email. Ask for a new one.',
    askAgain: 'Ask for a new link',
  },

  setup: {
    title: 'Set up two-step sign-in',
    intro: 'Each time you sign in, you will enter your password and a code from your default method. A backup method helps when the default is not at hand.',
    stepper: ['Default method', 'Backup method', 'Confirmation', 'Recovery codes'],
    choosePrimary: 'Choose your default method',
    chooseSecondary: 'Choose a backup method',
    secondaryIntro: 'If you lose your phone or cannot use your default method, you can sign in with this instead.',
    secondaryOptional: 'A backup method is optional but strongly recommended.',
    skipSecondary: 'Skip for now',
    next: 'Continue',
    totpStep1: 'Open your authenticator app and add an account.',
    totpStep2: 'Scan this QR code with the app.',
    qrAlt: 'QR code to add Twofold to your authenticator app',
    cannotScan: 'Cannot scan it? Enter this key in the app instead:',
    manualKey: 'Setup key',
    copyKey: 'Copy key',
    keyCopied: 'Key copied',
    totpStep3: 'Enter the 6-digit code the app now shows.',
    phone: 'Mobile phone number',
    phoneHelp: 'A UK number like 07700 900123, or any number with its country code, like +33 6 12 34 56 78.',
    smsRiskTitle: 'About text messages',
    smsRisk:
      'Text messages can be intercepted, or redirected if someone takes over your mobile number. An authenticator app is safer. If you choose text messages, keep a backup method up to date.',
    sendCode: 'Send code',
    emailIntro: (email: string) => `We will send a code to ${email} to check it works.`,
    sendEmail: 'Send the code',
    verify: 'Confirm',
    changeMethod: 'Choose a different method',
    doneTitle: 'Two-step sign-in is on',
    doneIntro: 'From now on you will sign in with your password and a code. These are your methods:',
    toRecoveryCodes: 'Continue to your recovery codes',
    finish: 'Go to my security page',
  },

  recoveryCodes: {
    title: 'Save your recovery codes',
    intro: (n: number) =>
      `If you cannot use any of your methods, each of these ${n} codes lets you sign in once. Keep them somewhere safe, such as a password manager or printed at home. This is the only time we show them.`,
    listLabel: 'Your recovery codes',
    copy: 'Copy',
    copied: 'Codes copied to the clipboard',
    download: 'Download',
    print: 'Print',
    fileName: 'twofold-recovery-codes.txt',
    fileHeading: (generatedAt: string) => `Twofold recovery codes (created ${dateTime(generatedAt)}). Each code works once.`,
    saved: 'I have saved my recovery codes',
    done: 'Done',
  },

  security: {
    title: 'Your account security',
    signedInAs: (email: string) => `Signed in as ${email}`,
    methodsTitle: 'Sign-in methods',
    methodsIntro: 'Your default method is asked for first when you sign in. You can always use a backup instead.',
    lastUsed: (iso: string | null) => `Last used: ${dateTime(iso)}`,
    added: (iso: string) => `Added ${dateTime(iso)}`,
    makeDefault: 'Make default',
    madeDefault: (method: string) => `${method} is now your default method.`,
    remove: 'Remove',
    removeTitle: (method: string) => `Remove ${method}?`,
    removeBody: 'You will no longer be able to sign in with this method. We will email you about the change.',
    removed: (method: string) => `${method} was removed.`,
    addMethod: 'Add a method',
    addTitle: 'Add a sign-in method',
    added_: (method: string) => `${method} was added.`,
    nothingToAdd: 'You already use every kind of method.',
    setupIncomplete: 'Your two-step sign-in is not complete.',
    finishSetup: 'Finish setting up',
    recoveryTitle: 'Recovery codes',
    recoveryStatus: (remaining: number, total: number) => `${remaining} of ${total} codes left`,
    recoveryGenerated: (iso: string | null) => `Created ${dateTime(iso)}`,
    recoveryLow: 'You are running low. Get new codes so you are not locked out.',
    regenerate: 'Get new codes',
    regenerateTitle: 'Get new recovery codes?',
    regenerateBody: 'Your current recovery codes will stop working at once.',
    newCodesTitle: 'Your new recovery codes',
    sessionsTitle: 'Where you are signed in',
    sessionsIntro: 'Sign out anywhere you do not recognise, then change your password.',
    thisDevice: 'This device',
    unknownDevice: 'Unknown browser',
    sessionDetail: (created: string, lastUsed: string | null, ip: string | null) =>
      `Signed in ${dateTime(created)} · last active ${dateTime(lastUsed)}${ip ? ` · ${ip}` : ''}`,
    revokeSession: 'Sign out',
    revokeSessionLabel: (device: string) => `Sign out of ${device}`,
    sessionRevoked: 'That device was signed out.',
    devicesTitle: 'Remembered devices',
    devicesIntro: 'These devices skip the code (not the password) when you sign in.',
    noDevices: 'No device is remembered.',
    deviceDetail: (created: string, lastUsed: string | null, expires: string) =>
      `Remembered ${dateTime(created)} · last used ${dateTime(lastUsed)} · until ${dateTime(expires)}`,
    forgetDevice: 'Forget',
    forgetDeviceLabel: (device: string) => `Forget ${device}`,
    deviceForgotten: 'That device will be asked for a code again.',
    pendingResetTitle: 'Support is about to reset your two-step sign-in',
    pendingResetBody: (executesAt: string) =>
      `On ${dateTime(executesAt)} all your sign-in methods and recovery codes will be removed. If you did not ask our support team for this, cancel it now and change your password.`,
    cancelReset: 'Cancel the reset',
    resetCancelled: 'The reset was cancelled. Nothing has changed.',
    passwordTitle: 'Password',
    currentPassword: 'Current password',
    newPassword: 'New password',
    confirmPassword: 'Type the new password again',
    changePassword: 'Change password',
    passwordChanged: 'Your password was changed. You were signed out everywhere else.',
  },

  stepUp: {
    submit: 'Confirm',
  },
};

export type Messages = typeof en;
