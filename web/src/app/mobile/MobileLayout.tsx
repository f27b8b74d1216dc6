import { matchPath, NavLink, Outlet, useLocation } from 'react-router-dom';
import { DashboardOutlined, FileTextOutlined, HomeOutlined, PayCircleOutlined, ScheduleOutlined, ToolOutlined, UserOutlined } from '@ant-design/icons';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../features/auth/api.ts';

/** The title of each page, by path (the first match wins). */
const TITLES = [
  ['/me', 'mobile.meTitle'],
  ['/household/new', 'mobile.requestTitle'],
  ['/tickets/new', 'servicedeskMobile.newTicket'],
  ['/tickets/:id', 'servicedeskMobile.ticketTitle'],
  ['/tickets', 'servicedeskMobile.myTickets'],
  ['/approvals', 'servicedeskMobile.approvals'],
  ['/tasks/:id', 'servicedeskMobile.taskTitle'],
  ['/tasks', 'servicedeskMobile.myTasks'],
  ['/bills', 'billingMobile.billsTitle'],
  ['/pay/sandbox', 'billingMobile.sandboxTitle'],
  ['/payments/:id', 'billingMobile.paymentTitle'],
  ['/payments', 'billingMobile.paymentsTitle'],
  ['/disclosure', 'billingMobile.disclosureTitle'],
  ['/meter-readings', 'billingMeter.title'],
  ['/patrol/*', 'patrols.entry'],
  ['/cleaning/*', 'cleaning.entry'],
  ['/equipment/*', 'equipment.entry'],
  ['/quality/*', 'quality.entry'],
  ['/roster/*', 'rosters.entry'],
] as const;

/**
 * Phone frame: a title bar, the page, and a bottom tab bar — 我的家 / 报事 / 缴费 / 我的 for owners, 工作台 / 任务 / 我的
 * for field staff, plus 抄表 for staff with billing.manage (工作台 / 我的 for other staff).
 */
export function MobileLayout() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const location = useLocation();
  const owner = me.user.kind === 'owner';
  const worker = !owner && me.abilities.includes('ticket.work');
  const meterReader = !owner && me.abilities.includes('billing.manage');
  const tabs = [
    { to: '/', end: true, label: owner ? t('mobile.tabHome') : t('mobile.tabDesk'), icon: owner ? <HomeOutlined /> : <ToolOutlined />, testId: 'tab-home' },
    ...(owner ? [{ to: '/tickets', end: false, label: t('servicedeskMobile.tabTickets'), icon: <FileTextOutlined />, testId: 'tab-tickets' }] : []),
    ...(owner ? [{ to: '/bills', end: false, label: t('billingMobile.tabBills'), icon: <PayCircleOutlined />, testId: 'tab-bills' }] : []),
    ...(worker ? [{ to: '/tasks', end: false, label: t('servicedeskMobile.tabTasks'), icon: <ScheduleOutlined />, testId: 'tab-tasks' }] : []),
    ...(meterReader ? [{ to: '/meter-readings', end: false, label: t('billingMeter.tab'), icon: <DashboardOutlined />, testId: 'tab-meters' }] : []),
    { to: '/me', end: true, label: t('mobile.tabMe'), icon: <UserOutlined />, testId: 'tab-me' },
  ];
  const key = TITLES.find(([path]) => matchPath(path, location.pathname))?.[1];
  const title = key ? t(key) : owner ? t('mobile.homeTitle') : t('mobile.deskTitle');

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
          <NavLink key={tab.to} to={tab.to} end={tab.end} className={({ isActive }) => (isActive ? 'm-tab active' : 'm-tab')} data-testid={tab.testId}>
            <span className="m-tab-icon">{tab.icon}</span>
            <span>{tab.label}</span>
          </NavLink>
        ))}
      </nav>
    </div>
  );
}
