import type { ReactNode } from 'react';
import { Paper, Typography } from '@mui/material';

/** One titled card of the security page; its heading labels the region for screen readers. */
export function Section({ id, title, intro, children }: { id: string; title: string; intro?: string; children: ReactNode }) {
  return (
    <Paper component="section" aria-labelledby={`${id}-title`} variant="outlined" sx={{ p: { xs: 2, sm: 3 }, mb: 3 }} data-testid={`section-${id}`}>
      <Typography id={`${id}-title`} component="h2" variant="h5" sx={{ mb: 1, fontWeight: 600 }}>
        {title}
      </Typography>
      {intro && (
        <Typography color="text.secondary" sx={{ mb: 2 }}>
          {intro}
        </Typography>
      )}
      {children}
    </Paper>
  );
}
