import MailOutlinedIcon from '@mui/icons-material/MailOutlined';
import { Menu, useTranslate } from 'react-admin';
import { useOutboxAvailable } from '../messages/useOutbox';

/** Resource entries honour authProvider.canAccess, so staff management only appears for admins. */
export const AppMenu = () => {
  const translate = useTranslate();
  const outboxAvailable = useOutboxAvailable();
  return (
    <Menu>
      <Menu.DashboardItem />
      <Menu.ResourceItems />
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
