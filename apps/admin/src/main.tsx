import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router-dom';
import { App } from './App';

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element.');

// Our own router with transitions off: with react-router 7's default transitions, react-admin's
// redirect to the login page re-triggers its own auth check and loops for seconds before the form shows.
createRoot(container).render(
  <StrictMode>
    <HashRouter useTransitions={false}>
      <App />
    </HashRouter>
  </StrictMode>,
);
