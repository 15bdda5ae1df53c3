import type { ReactNode } from 'react';
import { Avatar, Box, Card, CardContent, Typography } from '@mui/material';
import LockIcon from '@mui/icons-material/Lock';
import { useTranslate } from 'react-admin';

export const LoginLayout = ({ title, children }: { title: string; children: ReactNode }) => {
  const translate = useTranslate();
  return (
    <Box
      component="main"
      sx={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg, #1e3a5f 0%, #2f6f8f 100%)',
        p: 2,
      }}
    >
      <Card sx={{ width: '100%', maxWidth: 420 }}>
        <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', pt: 3 }}>
          <Avatar sx={{ bgcolor: 'secondary.main', mb: 1 }}>
            <LockIcon />
          </Avatar>
          <Typography variant="overline" color="text.secondary">
            {translate('twofold.login.product')}
          </Typography>
          <Typography variant="h6" component="h1">
            {title}
          </Typography>
        </Box>
        <CardContent>{children}</CardContent>
      </Card>
    </Box>
  );
};
