import type { ReactNode } from 'react';
import { Layout as RaLayout } from 'react-admin';
import { PasswordChangeGate } from '../account';
import { StepUpHost } from '../stepUp';
import { AppBar } from './AppBar';
import { AppMenu } from './AppMenu';

export const Layout = ({ children }: { children: ReactNode }) => (
  <>
    <StepUpHost />
    <PasswordChangeGate>
      <RaLayout appBar={AppBar} menu={AppMenu}>
        {children}
      </RaLayout>
    </PasswordChangeGate>
  </>
);
