import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router-dom';
import { CssBaseline, GlobalStyles, ThemeProvider } from '@mui/material';
import { App } from './App';
import { theme } from './theme';

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element.');

// Printing the recovery codes prints them alone: the rest of the page is marked no-print.
const printStyles = { '@media print': { '.no-print, header, .MuiStepper-root': { display: 'none !important' }, body: { background: '#fff' } } };

createRoot(container).render(
  <StrictMode>
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <GlobalStyles styles={printStyles} />
      <HashRouter>
        <App />
      </HashRouter>
    </ThemeProvider>
  </StrictMode>,
);
