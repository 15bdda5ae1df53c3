import { createTheme } from '@mui/material';

// A calm healthcare palette with text contrast of at least 4.5:1 (WCAG AA) on its backgrounds.
export const theme = createTheme({
  palette: {
    primary: { main: '#005eb8', dark: '#003d78', contrastText: '#ffffff' },
    secondary: { main: '#41475e' },
    success: { main: '#007f3b' },
    error: { main: '#c0261c' },
    warning: { main: '#8a5300' },
    background: { default: '#f4f6f8', paper: '#ffffff' },
    text: { primary: '#212b32', secondary: '#4c6272' },
  },
  shape: { borderRadius: 8 },
  typography: { button: { textTransform: 'none', fontWeight: 600 } },
  components: {
    // A focus ring everyone can see, not only MUI's ripple.
    MuiButtonBase: {
      defaultProps: { disableRipple: false },
      styleOverrides: { root: { '&.Mui-focusVisible': { outline: '3px solid #ffb81c', outlineOffset: 2 } } },
    },
    MuiLink: { styleOverrides: { root: { '&:focus-visible': { outline: '3px solid #ffb81c', outlineOffset: 2 } } } },
  },
});
