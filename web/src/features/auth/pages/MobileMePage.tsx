import { App, Avatar, Button, Flex, Segmented, Typography } from 'antd';
import { GlobalOutlined, LogoutOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { changeLang, currentLang, type Lang } from '../../../i18n/index.ts';
import { roleName } from '../../roles/labels.ts';
import { useCurrentMe, useLogout } from '../api.ts';

/** 我的: who is logged in, the language, and logging out. */
export function MobileMePage() {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const me = useCurrentMe();
  const logout = useLogout();
  const subtitle = me.user.kind === 'owner' ? me.user.companyName : me.user.roles.map((r) => roleName(r.name, currentLang())).join('、');

  const confirmLogout = () =>
    modal.confirm({
      title: t('mobile.logoutConfirm'),
      okText: t('mobile.logout'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true, 'data-testid': 'm-logout-confirm' },
      centered: true,
      onOk: () => logout.mutateAsync().catch(() => undefined),
    });

  return (
    <div className="m-page">
      <div className="m-card">
        <Flex align="center" gap={16}>
          <Avatar size={56} style={{ background: '#1677ff', fontSize: 22, flex: 'none' }}>
            {me.user.displayName.slice(0, 1)}
          </Avatar>
          <div style={{ minWidth: 0 }}>
            <Typography.Text strong style={{ fontSize: 18 }} data-testid="m-me-name">{me.user.displayName}</Typography.Text>
            <div style={{ color: '#888' }}>{me.user.phone ?? me.user.username}</div>
            {subtitle && <div style={{ color: '#888', fontSize: 13 }}>{subtitle}</div>}
          </div>
        </Flex>
      </div>

      <div className="m-card">
        <Flex justify="space-between" align="center" className="m-row">
          <span>
            <GlobalOutlined style={{ marginRight: 8, color: '#1677ff' }} />
            {t('mobile.language')}
          </span>
          <Segmented<Lang>
            value={currentLang()}
            onChange={(l) => void changeLang(l)}
            options={[
              { value: 'zh-CN', label: t('lang.zh') },
              { value: 'en', label: t('lang.en') },
            ]}
            data-testid="m-lang"
          />
        </Flex>
      </div>

      <Button danger block size="large" icon={<LogoutOutlined />} onClick={confirmLogout} loading={logout.isPending} style={{ marginTop: 8 }} data-testid="m-logout">
        {t('mobile.logout')}
      </Button>
    </div>
  );
}
