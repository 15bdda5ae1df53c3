import { useEffect, useRef, type ReactNode } from 'react';
import { AppBar, Box, Button, Container, Link, Toolbar, Typography } from '@mui/material';
import Shield from '@mui/icons-material/Shield';
import { t } from '../i18n';

interface PageLayoutProps {
  title: string;
  children: ReactNode;
  /** Wider pages (the security page) get more room. */
  wide?: boolean;
  onSignOut?: () => void;
}

/**
 * Every page: a skip link, a banner, one <main> with one <h1>. When the title changes (a new page or
 * step) focus moves to it, so keyboard and screen-reader users start at the top of the new content.
 */
export function PageLayout({ title, children, wide = false, onSignOut }: PageLayoutProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – ${t.appName}`;
    // An input that took focus by itself (autoFocus) keeps it; otherwise the heading takes it.
    const active = document.activeElement;
    if (!active || active === document.body || !heading.current?.closest('main')?.contains(active)) heading.current?.focus();
  }, [title]);

  return (
    <>
      <Link
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          heading.current?.focus();
        }}
        className="skip-link no-print"
        sx={{ position: 'absolute', left: -10000, top: 8, zIndex: 2000, bgcolor: 'background.paper', p: 1, '&:focus': { left: 8 } }}
      >
        {t.skipToContent}
      </Link>
      <AppBar position="static" elevation={0} component="header" className="no-print">
        <Toolbar>
          <Shield aria-hidden sx={{ mr: 1 }} />
          <Typography component="p" variant="h6" sx={{ flexGrow: 1, fontWeight: 600 }}>
            {t.appName}
          </Typography>
          {onSignOut && (
            <Button color="inherit" onClick={onSignOut} data-testid="sign-out">
              {t.common.signOut}
            </Button>
          )}
        </Toolbar>
      </AppBar>
      <Container component="main" id="main" maxWidth={wide ? 'md' : 'sm'} sx={{ py: 4 }}>
        <Typography component="h1" variant="h4" tabIndex={-1} ref={heading} sx={{ mb: 2, outline: 'none', fontWeight: 600 }} data-testid="page-title">
          {title}
        </Typography>
        <Box>{children}</Box>
      </Container>
    </>
  );
}
