import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLogout } from '../api.ts';

/** An owner's session opened the staff console: point them to the phone site. */
export function OwnerInConsolePage() {
  const { t } = useTranslation();
  const logout = useLogout();
  return (
    <Result
      status="info"
      title={t('auth.ownerInConsole')}
      subTitle={t('auth.ownerInConsoleHint')}
      extra={[
        <Button type="primary" key="m" href="/m/">{t('auth.ownerLink')}</Button>,
        <Button key="out" onClick={() => logout.mutate()} data-testid="logout">{t('header.logout')}</Button>,
      ]}
    />
  );
}
