import { useRef, useState } from 'react';
import { useLogin, useTranslate } from 'react-admin';
import { forgetSignInPassword, holdSignInPassword } from '../account';
import { describeApiError } from '../httpClient';
import type { FactorVerifyAnswer, LoginAnswer, MfaRequiredAnswer, TokenPair } from '../types';
import { CodeStep } from './CodeStep';
import { EnrolStep } from './EnrolStep';
import { LoginLayout } from './LoginLayout';
import { PasswordStep } from './PasswordStep';
import { RecoveryCodesStep } from './RecoveryCodesStep';

type Step =
  | { kind: 'password'; notice?: string }
  | { kind: 'code'; challenge: MfaRequiredAnswer }
  | { kind: 'enrol'; enrolToken: string }
  | { kind: 'recoveryCodes'; codes: string[]; tokens: TokenPair };

const TITLES: Record<Step['kind'], string> = {
  password: 'twofold.login.sign_in',
  code: 'twofold.login.second_factor',
  enrol: 'twofold.enrol.title',
  recoveryCodes: 'twofold.recovery.title',
};

/** Password, then a second factor; a first login enrols TOTP and shows the recovery codes once. */
export const LoginPage = () => {
  const translate = useTranslate();
  const login = useLogin();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  // Kept only until the session starts, for the password-change page (see account/signInPassword).
  const password = useRef<string | null>(null);

  const restart = (notice?: string) => {
    password.current = null;
    forgetSignInPassword();
    setStep({ kind: 'password', notice });
  };

  const enter = (tokens: TokenPair) => {
    holdSignInPassword(password.current);
    password.current = null;
    login({ tokens }).catch((error: unknown) => restart(describeApiError(error)));
  };

  const onPasswordAnswer = (answer: LoginAnswer, typed: string) => {
    password.current = typed;
    if (answer.status === 'mfa_setup_required') setStep({ kind: 'enrol', enrolToken: answer.accessToken });
    else setStep({ kind: 'code', challenge: answer });
  };

  const onEnrolled = (answer: FactorVerifyAnswer) => {
    if (!answer.tokens) {
      restart(translate('twofold.enrol.sign_in_again'));
    } else if (answer.recoveryCodes?.length) {
      setStep({ kind: 'recoveryCodes', codes: answer.recoveryCodes, tokens: answer.tokens });
    } else {
      enter(answer.tokens);
    }
  };

  return (
    <LoginLayout title={translate(TITLES[step.kind])}>
      {step.kind === 'password' && <PasswordStep notice={step.notice} onAnswer={onPasswordAnswer} />}
      {step.kind === 'code' && <CodeStep challenge={step.challenge} onTokens={enter} onRestart={() => restart()} />}
      {step.kind === 'enrol' && (
        <EnrolStep enrolToken={step.enrolToken} onEnrolled={onEnrolled} onRestart={() => restart()} />
      )}
      {step.kind === 'recoveryCodes' && <RecoveryCodesStep codes={step.codes} onContinue={() => enter(step.tokens)} />}
    </LoginLayout>
  );
};
