import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { HomeOutlined, ToolOutlined, UserOutlined } from '@ant-design/icons';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../features/auth/api.ts';

/** Phone frame: a title bar, the page, and a bottom tab bar (我的家 / 我的, or 工作台 / 我的 for staff). */
export function MobileLayout() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const location = useLocation();
  const owner = me.user.kind === 'owner';
  const tabs = [
    { to: '/', label: owner ? t('mobile.tabHome') : t('mobile.tabDesk'), icon: owner ? <HomeOutlined /> : <ToolOutlined />, testId: 'tab-home' },
    { to: '/me', label: t('mobile.tabMe'), icon: <UserOutlined />, testId: 'tab-me' },
  ];
  const title =
    location.pathname === '/me'
      ? t('mobile.meTitle')
      : location.pathname === '/household/new'
        ? t('mobile.requestTitle')
        : owner
          ? t('mobile.homeTitle')
          : t('mobile.deskTitle');

  useEffect(() => {
    document.title = `${title} · ${t('app.ownerSiteTitle')}`;
  }, [title, t]);

  return (
    <div className="m-shell">
      <header className="m-titlebar" data-testid="page-title">
        {title}
      </header>
      <main className="m-main">
        <Outlet />
      </main>
      <nav className="m-tabbar">
        {tabs.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end className={({ isActive }) => (isActive ? 'm-tab active' : 'm-tab')} data-testid={tab.testId}>
            <span className="m-tab-icon">{tab.icon}</span>
            <span>{tab.label}</span>
          </NavLink>
        ))}
      </nav>
    </div>
  );
}
