import { Admin, CustomRoutes, Resource } from 'react-admin';
import { QueryClient } from '@tanstack/react-query';
import polyglotI18nProvider from 'ra-i18n-polyglot';
import { Route } from 'react-router-dom';
import { auditEvents } from './audit-events';
import { authProvider } from './authProvider';
import { customers } from './customers';
import { Dashboard } from './dashboard';
import { dataProvider } from './dataProvider';
import { en } from './i18n/en';
import { Layout } from './layout';
import { LoginPage } from './login';
import { MessageList } from './messages';
import { resets } from './resets';
import { OwnFactorsPage } from './security';
import { staff } from './staff';

const i18nProvider = polyglotI18nProvider(() => en, 'en', { allowMissing: true });

// Opening a customer is itself audited (customer.viewed): do not refetch just because the tab
// regained focus.
const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });

export const App = () => (
  <Admin
    disableTelemetry
    title="Twofold"
    dataProvider={dataProvider}
    authProvider={authProvider}
    i18nProvider={i18nProvider}
    queryClient={queryClient}
    loginPage={LoginPage}
    layout={Layout}
    dashboard={Dashboard}
    requireAuth
  >
    <Resource name="customers" {...customers} />
    <Resource name="resets" {...resets} />
    <Resource name="audit-events" {...auditEvents} />
    <Resource name="staff" {...staff} />
    <Resource name="deliveries" />
    <CustomRoutes>
      <Route path="/messages" element={<MessageList />} />
      <Route path="/security" element={<OwnFactorsPage />} />
    </CustomRoutes>
  </Admin>
);
