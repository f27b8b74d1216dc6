import { useEffect, useState } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { isPhonePath, safeNext } from '../next.ts';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { loginBody } from '../../../../../src/modules/auth/schema.ts';
import { LanguageSwitch } from '../../../components/LanguageSwitch.tsx';
import { zodField } from '../../../lib/form.ts';
import { useLogin, useMe, type LoginInput } from '../api.ts';
import { clearSessionEnded, sessionEnded as wasSessionEnded } from '../session-ended.ts';

function BrandPanel() {
  const { t } = useTranslation();
  return (
    <div className="anju-login-brand">
      <Flex align="center" gap={12}>
        <img src="/favicon.svg" alt="" width={40} height={40} />
        <span style={{ fontSize: 22, fontWeight: 600 }}>{t('app.fullName')}</span>
      </Flex>
      <div>
        <div style={{ fontSize: 34, fontWeight: 600, lineHeight: 1.3, marginBottom: 16 }}>{t('app.tagline')}</div>
        <div style={{ fontSize: 16, opacity: 0.85, maxWidth: 420, lineHeight: 1.8 }}>{t('app.taglineDetail')}</div>
      </div>
      <div style={{ opacity: 0.6, fontSize: 13 }}>{t('app.copyright')}</div>
    </div>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useMe();
  const login = useLogin();
  // Read once, cleared after: a reload of the login page should not repeat the notice.
  const [sessionEnded] = useState(wasSessionEnded);
  useEffect(clearSessionEnded, []);

  useEffect(() => {
    document.title = `${t('auth.loginTitle')} · ${t('app.fullName')}`;
  }, [t]);

  const from = (location.state as { from?: string } | null)?.from;
  // From the phone site (a QR label's page, say): back there once logged in.
  const next = safeNext(new URLSearchParams(location.search).get('next'));
  if (me.data && next && isPhonePath(next)) {
    window.location.replace(next);
    return null;
  }
  if (me.data) return <Navigate to={next ?? (from && from !== '/login' ? from : '/')} replace />;

  return (
    <div className="anju-login">
      <BrandPanel />
      <Flex vertical className="anju-login-main">
        <Flex justify="flex-end" style={{ padding: 16 }}>
          <LanguageSwitch />
        </Flex>
        <Flex flex={1} align="center" justify="center" style={{ padding: 24 }}>
          <Card style={{ width: 400, maxWidth: '100%' }} styles={{ body: { padding: 32 } }}>
            <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }} data-testid="page-title">
              {t('auth.loginTitle')}
            </Typography.Title>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 24 }}>
              {t('auth.loginSubtitle')}
            </Typography.Paragraph>
            {sessionEnded && !login.error && <Alert type="info" showIcon title={t('auth.sessionEnded')} style={{ marginBottom: 16 }} data-testid="session-ended" />}
            {login.error && (
              <Alert type="error" showIcon title={login.error.message} style={{ marginBottom: 16 }} data-testid="login-error" />
            )}
            <Form<LoginInput> layout="vertical" size="large" requiredMark={false} onFinish={(v) => login.mutate(v)} disabled={login.isPending}>
              <Form.Item name="username" label={t('auth.username')} {...zodField(loginBody.shape.username)}>
                <Input prefix={<UserOutlined />} placeholder={t('auth.usernamePlaceholder')} autoComplete="username" autoFocus data-testid="login-username" />
              </Form.Item>
              <Form.Item name="password" label={t('auth.password')} {...zodField(loginBody.shape.password)}>
                <Input.Password prefix={<LockOutlined />} placeholder={t('auth.passwordPlaceholder')} autoComplete="current-password" data-testid="login-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit" style={{ marginTop: 8 }}>
                {login.isPending ? t('auth.loggingIn') : t('auth.login')}
              </Button>
            </Form>
            <Typography.Paragraph type="secondary" style={{ marginTop: 24, marginBottom: 0, textAlign: 'center' }}>
              {t('auth.ownerHint')} · <a href="/m/">{t('auth.ownerLink')}</a>
            </Typography.Paragraph>
          </Card>
        </Flex>
      </Flex>
    </div>
  );
}
