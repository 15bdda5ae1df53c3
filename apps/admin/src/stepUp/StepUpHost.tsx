import { useEffect, useState } from 'react';
import { registerStepUpHost } from './stepUpBroker';
import { StepUpDialog } from './StepUpDialog';

type Settle = (verified: boolean) => void;

/** Mounted once in the layout: shows the step-up dialog whenever a call needs a recent second factor. */
export const StepUpHost = () => {
  const [settle, setSettle] = useState<Settle | null>(null);

  useEffect(() => registerStepUpHost((next) => setSettle(() => next)), []);

  if (!settle) return null;
  const finish = (verified: boolean) => {
    setSettle(null);
    settle(verified);
  };
  return <StepUpDialog onDone={finish} />;
};
