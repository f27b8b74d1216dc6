import { useEffect } from 'react';
import { Alert, Button, Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../../components/LanguageSwitch.tsx';
import { ChangePasswordForm } from '../components/ChangePasswordForm.tsx';
import { useCurrentMe, useLogout } from '../api.ts';

/** Shown instead of the console while the account still has a temporary password. */
export function ForcedPasswordChangePage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const logout = useLogout();
  useEffect(() => {
    document.title = `${t('auth.mustChangeTitle')} · ${t('app.fullName')}`;
  }, [t]);
  return (
    <Flex vertical style={{ minHeight: '100vh' }}>
      <Flex justify="space-between" align="center" style={{ padding: '12px 24px' }}>
        <Flex align="center" gap={10}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <Typography.Text strong style={{ fontSize: 16 }}>{t('app.fullName')}</Typography.Text>
        </Flex>
        <Flex gap={8}>
          <LanguageSwitch />
          <Button type="text" onClick={() => logout.mutate()} data-testid="logout">{t('header.logout')}</Button>
        </Flex>
      </Flex>
      <Flex flex={1} justify="center" align="flex-start" style={{ padding: '48px 16px' }}>
        <Card style={{ width: 480, maxWidth: '100%' }} styles={{ body: { padding: 32 } }}>
          <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="page-title">{t('auth.mustChangeTitle')}</Typography.Title>
          <Alert type="warning" showIcon title={t('auth.mustChangeHint')} description={`${me.user.displayName}（${me.user.username ?? ''}）`} style={{ marginBottom: 24 }} />
          <ChangePasswordForm submitBlock />
        </Card>
      </Flex>
    </Flex>
  );
}
