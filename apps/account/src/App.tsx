import { useCallback, useSyncExternalStore, type ReactNode } from 'react';
import { Navigate, Route, Routes, useNavigate } from 'react-router-dom';
import { accountApi } from './api/account-api';
import { clearSession, onSessionChange, readSession, sessionSnapshot } from './api/session';
import { t } from './i18n';
import { SecurityPage } from './security/SecurityPage';
import { SetupPage } from './setup/SetupPage';
import { ForgotPasswordPage } from './sign-in/ForgotPasswordPage';
import { RegisterPage } from './sign-in/RegisterPage';
import { ResetPasswordPage } from './sign-in/ResetPasswordPage';
import { SignInPage } from './sign-in/SignInPage';
import { StepUpProvider } from './step-up/StepUpProvider';

/** The signed-in state, re-read whenever the stored session changes (sign-in, refresh, sign-out). */
function useSignedIn(): 'session' | 'enroll' | null {
  useSyncExternalStore(onSessionChange, sessionSnapshot);
  return readSession()?.scope ?? null;
}

/** Routes for a signed-in customer: a half-done setup goes to /setup, nobody else does. */
function Require({ scope, children }: { scope: 'session' | 'any'; children: ReactNode }) {
  const signedIn = useSignedIn();
  if (!signedIn) return <Navigate to="/sign-in" replace />;
  if (scope === 'session' && signedIn === 'enroll') return <Navigate to="/setup" replace />;
  return children;
}

export function App() {
  const navigate = useNavigate();

  const signOut = useCallback(async () => {
    // Ends the login at the API too; the remembered-device token stays (that is its point).
    await accountApi.logout().catch(() => undefined);
    clearSession();
    void navigate('/sign-in', { replace: true, state: { notice: t.signIn.signedOut } });
  }, [navigate]);

  return (
    <StepUpProvider>
      <Routes>
        {/* Open even when signed in (to switch accounts); a redirect here would race the sign-in's own navigation. */}
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/register" element={<RegisterPage />} />
        <Route path="/forgot" element={<ForgotPasswordPage />} />
        <Route path="/reset" element={<ResetPasswordPage />} />
        <Route path="/setup" element={<Require scope="any"><SetupPage onSignOut={() => void signOut()} /></Require>} />
        <Route path="/" element={<Require scope="session"><SecurityPage onSignOut={() => void signOut()} /></Require>} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </StepUpProvider>
  );
}
