import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { App, Avatar, Button, Dropdown, Flex, Layout, Menu, Select, Typography, theme, type MenuProps } from 'antd';
import { EnvironmentOutlined, LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities, useCurrentMe, useLogout } from '../../features/auth/api.ts';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { currentLang } from '../../i18n/index.ts';
import { roleName } from '../../features/roles/labels.ts';
import { NotificationBell } from '../../features/servicedesk/components/NotificationBell.tsx';
import { ALL_COMMUNITIES, useCurrentCommunity } from './community.tsx';
import { isGroup, navFor, pageOfPath, visibleNav, type NavPage } from './nav.tsx';

const { Header, Sider, Content, Footer } = Layout;

function Logo({ collapsed }: { collapsed: boolean }) {
  const { t } = useTranslation();
  return (
    <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 10, height: 64, padding: collapsed ? '0 24px' : '0 20px', overflow: 'hidden' }}>
      <img src="/favicon.svg" alt="" width={30} height={30} style={{ flex: 'none' }} />
      {!collapsed && (
        <span style={{ color: '#fff', fontSize: 17, fontWeight: 600, whiteSpace: 'nowrap' }}>{t('app.fullName')}</span>
      )}
    </Link>
  );
}

function CommunitySwitcher() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const { communityId, setCommunityId } = useCurrentCommunity();
  if (me.user.kind !== 'staff') return null;
  const options = [
    { value: ALL_COMMUNITIES, label: t('header.allCommunities') },
    ...me.communities.map((c) => ({ value: c.id, label: c.name })),
  ];
  return (
    <Flex align="center" gap={8}>
      <EnvironmentOutlined style={{ color: '#1677ff' }} />
      <Select
        data-testid="community-switcher"
        aria-label={t('header.community')}
        value={communityId}
        onChange={setCommunityId}
        options={options}
        style={{ width: 180 }}
        variant="borderless"
        popupMatchSelectWidth={220}
        notFoundContent={t('header.noCommunity')}
      />
    </Flex>
  );
}

function UserMenu() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const navigate = useNavigate();
  const logout = useLogout();
  const { message } = App.useApp();
  const roleNames = me.user.kind === 'operator' ? [me.user.username ?? t('header.operator')] : me.user.roles.map((r) => roleName(r.name, currentLang()));
  const items: MenuProps['items'] = [
    { key: 'account', icon: <UserOutlined />, label: <span data-testid="menu-account">{t('header.account')}</span> },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="logout">{t('header.logout')}</span> },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'account') navigate('/account');
    if (key === 'logout') {
      logout.mutate(undefined, {
        onSettled: () => {
          void message.success(t('header.loggedOut'));
          navigate('/login', { replace: true });
        },
      });
    }
  };
  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <Button type="text" style={{ height: 48, paddingInline: 8 }} data-testid="user-menu">
        <Flex align="center" gap={10}>
          <Avatar size={32} style={{ background: '#1677ff', flex: 'none' }}>
            {me.user.displayName.slice(0, 1)}
          </Avatar>
          <Flex vertical align="flex-start" style={{ lineHeight: 1.3, maxWidth: 220 }}>
            <Typography.Text strong ellipsis data-testid="user-name" style={{ maxWidth: 220 }}>
              {me.user.displayName}
            </Typography.Text>
            <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 220 }} data-testid="user-roles">
              {roleNames.join('、')}
            </Typography.Text>
          </Flex>
        </Flex>
      </Button>
    </Dropdown>
  );
}

/** The staff console's frame: module menu on the left, switcher, language and user menu on top. */
export function ConsoleLayout() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const can = useAbilities();
  const location = useLocation();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);

  const nav = visibleNav(navFor(me.user.kind), can);
  const pages: NavPage[] = nav.flatMap((i) => (isGroup(i) ? i.pages : [i]));
  const current = pageOfPath(pages, location.pathname);
  const selected = current ? [current.key] : [];
  const toItem = (p: NavPage) => ({ key: p.key, icon: p.icon, label: <span data-testid={`menu-${p.key}`}>{t(`nav.${p.label}`)}</span> });
  const items: MenuProps['items'] = nav.map((i) =>
    isGroup(i) ? { type: 'group' as const, key: i.label, label: t(`nav.${i.label}`), children: i.pages.map(toItem) } : toItem(i),
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {/* The sider runs the page's full height; its menu stays in view while the page scrolls. */}
      <Sider collapsible collapsed={collapsed} trigger={null} width={220}>
        <div style={{ position: 'sticky', top: 0, maxHeight: '100vh', overflowY: 'auto' }}>
          <Logo collapsed={collapsed} />
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected}
            items={items}
            onClick={({ key }) => navigate(pages.find((p) => p.key === key)?.path ?? '/')}
            data-testid="side-menu"
          />
        </div>
      </Sider>
      <Layout>
        <Header
          style={{
            position: 'sticky',
            top: 0,
            zIndex: 10,
            display: 'flex',
            alignItems: 'center',
            gap: 16,
            padding: '0 16px 0 8px',
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Button
            type="text"
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
            aria-label={t('common.toggleMenu')}
          />
          {me.user.kind === 'operator' ? (
            <Typography.Text strong>{t('app.platformTitle')}</Typography.Text>
          ) : (
            <Typography.Text strong ellipsis style={{ maxWidth: 280 }} data-testid="company-name">
              {me.user.companyName}
            </Typography.Text>
          )}
          <CommunitySwitcher />
          <div style={{ flex: 1 }} />
          {me.user.kind === 'staff' && <NotificationBell />}
          <LanguageSwitch />
          <UserMenu />
        </Header>
        <Content style={{ padding: 24 }}>
          <Outlet />
        </Content>
        <Footer style={{ textAlign: 'center', color: token.colorTextTertiary, padding: '12px 24px 20px' }}>{t('app.copyright')}</Footer>
      </Layout>
    </Layout>
  );
}

