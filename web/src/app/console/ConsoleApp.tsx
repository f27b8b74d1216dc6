import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Permission } from '../../../../src/core/permissions.ts';
import { useAbilities, useMe, type Me } from '../../features/auth/api.ts';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { LoginPage } from '../../features/auth/pages/LoginPage.tsx';
import { ForcedPasswordChangePage } from '../../features/auth/pages/ForcedPasswordChangePage.tsx';
import { OwnerInConsolePage } from '../../features/auth/pages/OwnerInConsolePage.tsx';
import { CommunityProvider } from './community.tsx';
import { ConsoleLayout } from './ConsoleLayout.tsx';
import { canAny } from './nav.tsx';

// Each page is its own chunk, so the login page does not wait for the tables behind it.
const HomePage = lazy(() => import('../../features/dashboard/pages/HomePage.tsx'));
const StaffPage = lazy(() => import('../../features/staff/pages/StaffPage.tsx'));
const RolesPage = lazy(() => import('../../features/roles/pages/RolesPage.tsx'));
const AuditPage = lazy(() => import('../../features/audit/pages/AuditPage.tsx'));
const OutboxPage = lazy(() => import('../../features/sms/pages/OutboxPage.tsx'));
const CommunitiesPage = lazy(() => import('../../features/communities/pages/CommunitiesPage.tsx'));
const OwnersPage = lazy(() => import('../../features/owner/pages/OwnersPage.tsx'));
const CompaniesPage = lazy(() => import('../../features/platform/pages/CompaniesPage.tsx'));
const AccountPage = lazy(() => import('../../features/auth/pages/AccountPage.tsx'));
const EstatePage = lazy(() => import('../../features/estate/pages/EstatePage.tsx'));
const RoomsPage = lazy(() => import('../../features/estate/pages/RoomsPage.tsx'));
const RoomPage = lazy(() => import('../../features/estate/pages/RoomPage.tsx'));
const ParkingPage = lazy(() => import('../../features/estate/pages/ParkingPage.tsx'));
const ZonesPage = lazy(() => import('../../features/estate/pages/ZonesPage.tsx'));
const ResidentsPage = lazy(() => import('../../features/residents/pages/ResidentsPage.tsx'));
const HouseholdRequestsPage = lazy(() => import('../../features/residents/pages/HouseholdRequestsPage.tsx'));
const CommitteePage = lazy(() => import('../../features/residents/pages/CommitteePage.tsx'));
const ImportsPage = lazy(() => import('../../features/imports/pages/ImportsPage.tsx'));
const TicketsPage = lazy(() => import('../../features/servicedesk/pages/TicketsPage.tsx'));
const TicketPage = lazy(() => import('../../features/servicedesk/pages/TicketPage.tsx'));
const BoardPage = lazy(() => import('../../features/servicedesk/pages/BoardPage.tsx'));
const ReturnVisitsPage = lazy(() => import('../../features/servicedesk/pages/ReturnVisitsPage.tsx'));
const ApprovalsPage = lazy(() => import('../../features/servicedesk/pages/ApprovalsPage.tsx'));
const ServiceDeskDashboardPage = lazy(() => import('../../features/servicedesk/pages/DashboardPage.tsx'));
const ServiceDeskSettingsPage = lazy(() => import('../../features/servicedesk/pages/SettingsPage.tsx'));
const BillingCounterPage = lazy(() => import('../../features/billing/pages/CounterPage.tsx'));
const BillingPaymentsPage = lazy(() => import('../../features/billing/pages/PaymentsPage.tsx'));
const BillingRefundsPage = lazy(() => import('../../features/billing/pages/RefundsPage.tsx'));
const BillingDailyReportPage = lazy(() => import('../../features/billing/pages/DailyReportPage.tsx'));
const BillingInvoicesPage = lazy(() => import('../../features/billing/pages/InvoicesPage.tsx'));
const BillingBillsPage = lazy(() => import('../../features/billing/pages/BillsPage.tsx'));
const BillingBillRunsPage = lazy(() => import('../../features/billing/pages/BillRunsPage.tsx'));
const BillingFeeItemsPage = lazy(() => import('../../features/billing/pages/FeeItemsPage.tsx'));
const BillingMetersPage = lazy(() => import('../../features/billing/pages/MetersPage.tsx'));
const BillingArrearsPage = lazy(() => import('../../features/billing/pages/ArrearsPage.tsx'));
const BillingCollectionPage = lazy(() => import('../../features/billing/pages/CollectionPage.tsx'));
const BillingFundPage = lazy(() => import('../../features/billing/pages/FundPage.tsx'));
const BillingPaymentPage = lazy(() => import('../../features/billing/pages/PaymentPage.tsx'));
const PatrolsConsole = lazy(() => import('../../features/patrols/ConsoleRoutes.tsx'));
const EquipmentConsole = lazy(() => import('../../features/equipment/ConsoleRoutes.tsx'));
const QualityConsole = lazy(() => import('../../features/quality/ConsoleRoutes.tsx'));
const CleaningConsole = lazy(() => import('../../features/cleaning/ConsoleRoutes.tsx'));
const RostersConsole = lazy(() => import('../../features/rosters/ConsoleRoutes.tsx'));

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title={t('common.notFound')} subTitle={t('common.notFoundHint')} extra={<Button type="primary" href="/">{t('common.backHome')}</Button>} />;
}

/** Pages behind an ability; the menu hides them too, but a typed-in URL must not show an empty page. */
function Allow({ ability, children }: { ability: Permission | Permission[]; children: ReactNode }) {
  const { t } = useTranslation();
  const can = useAbilities();
  if (!canAny(ability, can)) return <Result status="403" title={t('common.forbidden')} subTitle={t('common.forbiddenHint')} />;
  return <>{children}</>;
}

function RequireLogin({ me }: { me: Me | null }) {
  const location = useLocation();
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (me.user.kind === 'owner') return <OwnerInConsolePage />;
  if (me.user.mustChangePassword) return <ForcedPasswordChangePage />;
  return (
    <CommunityProvider communities={me.communities}>
      <ConsoleLayout />
    </CommunityProvider>
  );
}

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<FullPageSpin />}>{children}</Suspense>;
}

export function ConsoleApp() {
  const me = useMe();
  if (me.isPending) return <FullPageSpin />;
  if (me.isError) return <div style={{ padding: 24 }}><QueryError error={me.error} onRetry={() => void me.refetch()} /></div>;
  const operator = me.data?.user.kind === 'operator';
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireLogin me={me.data} />}>
        <Route index element={operator ? <Navigate to="/platform/companies" replace /> : <Page><HomePage /></Page>} />
        <Route path="staff" element={<Allow ability="staff.read"><Page><StaffPage /></Page></Allow>} />
        <Route path="roles" element={<Allow ability="role.read"><Page><RolesPage /></Page></Allow>} />
        <Route path="audit" element={<Allow ability="audit.read"><Page><AuditPage /></Page></Allow>} />
        <Route path="sms" element={<Allow ability="sms.read"><Page><OutboxPage /></Page></Allow>} />
        <Route path="estate" element={<Allow ability="estate.read"><Page><EstatePage /></Page></Allow>} />
        <Route path="estate/rooms" element={<Allow ability="estate.read"><Page><RoomsPage /></Page></Allow>} />
        <Route path="estate/rooms/:id" element={<Allow ability="estate.read"><Page><RoomPage /></Page></Allow>} />
        <Route path="estate/parking" element={<Allow ability="estate.read"><Page><ParkingPage /></Page></Allow>} />
        <Route path="estate/zones" element={<Allow ability="estate.read"><Page><ZonesPage /></Page></Allow>} />
        <Route path="residents" element={<Allow ability="resident.read"><Page><ResidentsPage /></Page></Allow>} />
        <Route path="residents/requests" element={<Allow ability="resident.read"><Page><HouseholdRequestsPage /></Page></Allow>} />
        <Route path="residents/committee" element={<Allow ability="resident.read"><Page><CommitteePage /></Page></Allow>} />
        <Route path="tickets" element={<Allow ability="ticket.read"><Page><TicketsPage /></Page></Allow>} />
        <Route path="tickets/board" element={<Allow ability="ticket.read"><Page><BoardPage /></Page></Allow>} />
        <Route path="tickets/:id" element={<Allow ability="ticket.read"><Page><TicketPage /></Page></Allow>} />
        <Route path="return-visits" element={<Allow ability="ticket.returnVisit"><Page><ReturnVisitsPage /></Page></Allow>} />
        <Route path="ticket-approvals" element={<Allow ability="ticket.approveMajor"><Page><ApprovalsPage /></Page></Allow>} />
        <Route path="service-desk/dashboard" element={<Allow ability="ticket.read"><Page><ServiceDeskDashboardPage /></Page></Allow>} />
        <Route path="service-desk/settings" element={<Allow ability="servicedesk.configure"><Page><ServiceDeskSettingsPage /></Page></Allow>} />
        <Route path="billing/counter" element={<Allow ability="billing.collect"><Page><BillingCounterPage /></Page></Allow>} />
        <Route path="billing/payments" element={<Allow ability="billing.read"><Page><BillingPaymentsPage /></Page></Allow>} />
        <Route path="billing/refunds" element={<Allow ability="billing.read"><Page><BillingRefundsPage /></Page></Allow>} />
        <Route path="billing/daily" element={<Allow ability="billing.read"><Page><BillingDailyReportPage /></Page></Allow>} />
        <Route path="billing/invoices" element={<Allow ability="billing.read"><Page><BillingInvoicesPage /></Page></Allow>} />
        <Route path="billing/bills" element={<Allow ability="billing.read"><Page><BillingBillsPage /></Page></Allow>} />
        <Route path="billing/runs" element={<Allow ability="billing.manage"><Page><BillingBillRunsPage /></Page></Allow>} />
        <Route path="billing/items" element={<Allow ability="billing.read"><Page><BillingFeeItemsPage /></Page></Allow>} />
        <Route path="billing/meters" element={<Allow ability="billing.read"><Page><BillingMetersPage /></Page></Allow>} />
        <Route path="billing/arrears" element={<Allow ability="billing.read"><Page><BillingArrearsPage /></Page></Allow>} />
        <Route path="billing/collection" element={<Allow ability="billing.read"><Page><BillingCollectionPage /></Page></Allow>} />
        <Route path="billing/fund" element={<Allow ability={['billing.read', 'committee.view']}><Page><BillingFundPage /></Page></Allow>} />
        <Route path="billing/payments/:id" element={<Allow ability="billing.read"><Page><BillingPaymentPage /></Page></Allow>} />
        <Route path="field/patrols/*" element={<Allow ability="patrol.read"><Page><PatrolsConsole /></Page></Allow>} />
        <Route path="field/equipment/*" element={<Allow ability="equipment.read"><Page><EquipmentConsole /></Page></Allow>} />
        <Route path="field/quality/*" element={<Allow ability={['quality.read', 'quality.rectify']}><Page><QualityConsole /></Page></Allow>} />
        <Route path="field/cleaning/*" element={<Allow ability="cleaning.read"><Page><CleaningConsole /></Page></Allow>} />
        <Route path="field/staff/*" element={<Allow ability="roster.read"><Page><RostersConsole /></Page></Allow>} />
        <Route path="imports" element={<Allow ability={['estate.manage', 'resident.manage']}><Page><ImportsPage /></Page></Allow>} />
        <Route path="communities" element={<Allow ability="community.read"><Page><CommunitiesPage /></Page></Allow>} />
        <Route path="owners" element={<Allow ability="owner.manage"><Page><OwnersPage /></Page></Allow>} />
        <Route path="platform/companies" element={<Allow ability="platform.manage"><Page><CompaniesPage /></Page></Allow>} />
        <Route path="account" element={<Page><AccountPage /></Page>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
