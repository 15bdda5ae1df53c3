import FingerprintIcon from '@mui/icons-material/Fingerprint';
import MailOutlinedIcon from '@mui/icons-material/MailOutlined';
import { Menu, useTranslate } from 'react-admin';
import { useOutboxAvailable } from '../messages/useOutbox';

/**
 * Resource entries honour authProvider.canAccess, so staff management only appears for admins. Every
 * member of staff has their own sign-in methods page.
 */
export const AppMenu = () => {
  const translate = useTranslate();
  const outboxAvailable = useOutboxAvailable();
  return (
    <Menu>
      <Menu.DashboardItem />
      <Menu.ResourceItems />
      <Menu.Item
        to="/security"
        primaryText={translate('twofold.security.menu')}
        leftIcon={<FingerprintIcon />}
        data-testid="menu-security"
      />
      {outboxAvailable ? (
        <Menu.Item
          to="/messages"
          primaryText={translate('twofold.messages.menu')}
          leftIcon={<MailOutlinedIcon />}
          data-testid="menu-messages"
        />
      ) : null}
    </Menu>
  );
};
