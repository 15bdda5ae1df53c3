import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Dialog, DialogContent, DialogTitle, Typography } from '@mui/material';
import { accountApi } from '../api/account-api';
import type { MfaRequired } from '../api/types';
import { errorCode, StepUpCancelledError } from '../components/describe-error';
import { SecondFactorStep } from '../components/SecondFactorStep';
import { t } from '../i18n';

type WithStepUp = <T>(action: () => Promise<T>) => Promise<T>;

const StepUpContext = createContext<WithStepUp>((action) => action());

/** Runs a change; when the API wants a recent second factor it asks for a code, then runs it again. */
export const useStepUp = (): WithStepUp => useContext(StepUpContext);

interface PendingStepUp {
  question: MfaRequired;
  settle: (proven: boolean) => void;
}

/**
 * The contract's step-up: a change answered `403 recent_mfa_required` → POST /me/step-up (a new
 * second-factor question for this login) → the customer answers it → /me/step-up/verify → the change
 * is sent once more. Closing the dialog leaves the change undone, and says so.
 */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<PendingStepUp | null>(null);

  const withStepUp = useCallback<WithStepUp>(async (action) => {
    try {
      return await action();
    } catch (error) {
      if (errorCode(error) !== 'recent_mfa_required') throw error;
      const question = await accountApi.stepUp();
      const proven = await new Promise<boolean>((settle) => setPending({ question, settle }));
      setPending(null);
      if (!proven) throw new StepUpCancelledError();
      return action();
    }
  }, []);

  return (
    <StepUpContext.Provider value={withStepUp}>
      {children}
      <Dialog open={pending !== null} onClose={() => pending?.settle(false)} aria-labelledby="step-up-title" aria-describedby="step-up-intro" data-testid="step-up-dialog" fullWidth maxWidth="sm">
        <DialogTitle id="step-up-title">{t.code.titleStepUp}</DialogTitle>
        <DialogContent>
          <Typography id="step-up-intro" sx={{ mb: 2 }}>
            {t.code.stepUpIntro}
          </Typography>
          {pending && (
            <SecondFactorStep
              question={pending.question}
              allowRecoveryCode={false}
              submitLabel={t.stepUp.submit}
              onCancel={() => pending.settle(false)}
              onAnswer={async (answer) => {
                if (!('factorId' in answer)) return;
                await accountApi.completeStepUp(pending.question.mfaToken, answer);
                pending.settle(true);
              }}
            />
          )}
        </DialogContent>
      </Dialog>
    </StepUpContext.Provider>
  );
}
