export { PasswordChangeGate } from './PasswordChangeGate';
export { holdSignInPassword, forgetSignInPassword } from './signInPassword';
