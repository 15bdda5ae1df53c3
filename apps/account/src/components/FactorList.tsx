import type { ReactNode } from 'react';
import { Box, Chip, List, ListItem, Stack, Typography } from '@mui/material';
import Star from '@mui/icons-material/Star';
import type { FactorSummary } from '../api/types';
import { t } from '../i18n';
import { MethodIcon, methodName } from './methods';

interface FactorListProps {
  factors: FactorSummary[];
  /** Buttons for one factor (the security page's make-default and remove). */
  actions?: (factor: FactorSummary) => ReactNode;
  details?: (factor: FactorSummary) => ReactNode;
  label: string;
}

/**
 * The customer's methods, primary first and highlighted; each row says in words whether it is the
 * default or a backup (colour alone never carries the meaning).
 */
export function FactorList({ factors, actions, details, label }: FactorListProps) {
  const sorted = [...factors].filter((f) => f.status === 'active').sort((a, b) => (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1));
  return (
    <List aria-label={label} data-testid="factor-list" disablePadding>
      {sorted.map((factor) => {
        const primary = factor.role === 'primary';
        return (
          <ListItem
            key={factor.id}
            data-testid="factor-item"
            data-type={factor.type}
            data-role={factor.role}
            sx={{
              border: 2,
              borderColor: primary ? 'primary.main' : 'divider',
              bgcolor: primary ? 'rgba(0, 94, 184, 0.06)' : 'background.paper',
              borderRadius: 2,
              mb: 1.5,
              alignItems: 'flex-start',
              flexWrap: 'wrap',
              gap: 1,
            }}
          >
            <Box sx={{ flex: '1 1 240px', minWidth: 0 }}>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                <MethodIcon type={factor.type} />
                <Typography component="span" sx={{ fontWeight: 600 }}>
                  {methodName(factor.type)}
                </Typography>
                <Chip
                  size="small"
                  data-testid="factor-role"
                  icon={primary ? <Star aria-hidden /> : undefined}
                  color={primary ? 'primary' : 'default'}
                  variant={primary ? 'filled' : 'outlined'}
                  label={primary ? t.methods.primaryLong : t.methods.secondaryLong}
                />
              </Stack>
              {factor.hint !== methodName(factor.type) && (
                <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }} data-testid="factor-hint">
                  {factor.hint}
                </Typography>
              )}
              {details?.(factor)}
            </Box>
            {actions && <Stack direction="row" spacing={1} sx={{ alignSelf: 'center' }}>{actions(factor)}</Stack>}
          </ListItem>
        );
      })}
    </List>
  );
}
