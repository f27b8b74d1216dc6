import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useMe, type Me } from '../../features/auth/api.ts';
import { OtpLoginPage } from '../../features/auth/pages/OtpLoginPage.tsx';
import { MobileMePage } from '../../features/auth/pages/MobileMePage.tsx';
import { MyHomePage } from '../../features/owner/pages/MyHomePage.tsx';
import { HouseholdRequestPage } from '../../features/owner/pages/HouseholdRequestPage.tsx';
import { StaffDeskPage } from '../../features/staff/pages/StaffDeskPage.tsx';
import { NewTicketPage } from '../../features/servicedesk-mobile/pages/NewTicketPage.tsx';
import { MyTicketsPage } from '../../features/servicedesk-mobile/pages/MyTicketsPage.tsx';
import { MyTicketPage } from '../../features/servicedesk-mobile/pages/MyTicketPage.tsx';
import { ApprovalsPage } from '../../features/servicedesk-mobile/pages/ApprovalsPage.tsx';
import { TasksPage } from '../../features/servicedesk-mobile/pages/TasksPage.tsx';
import { TaskPage } from '../../features/servicedesk-mobile/pages/TaskPage.tsx';
import { OfflineQueueProvider } from '../../features/servicedesk-mobile/queue.tsx';
import { BillsPage } from '../../features/billing-mobile/pages/BillsPage.tsx';
import { SandboxPayPage } from '../../features/billing-mobile/pages/SandboxPayPage.tsx';
import { PaymentPage } from '../../features/billing-mobile/pages/PaymentPage.tsx';
import { PaymentsPage } from '../../features/billing-mobile/pages/PaymentsPage.tsx';
import { DisclosurePage } from '../../features/billing-mobile/pages/DisclosurePage.tsx';
import { MeterReadingPage } from '../../features/billing-mobile/pages/MeterReadingPage.tsx';
import PatrolsMobile from '../../features/patrols-mobile/MobileRoutes.tsx';
import EquipmentMobile from '../../features/equipment-mobile/MobileRoutes.tsx';
import QualityMobile from '../../features/quality-mobile/MobileRoutes.tsx';
import CleaningMobile from '../../features/cleaning-mobile/MobileRoutes.tsx';
import RostersMobile from '../../features/rosters-mobile/MobileRoutes.tsx';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { MobileLayout } from './MobileLayout.tsx';

function RequireLogin({ me }: { me: Me | null }) {
  const location = useLocation();
  // Where the person was going (a QR label's page, say) is kept through the login.
  if (!me) return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
  return <MobileLayout />;
}

/** After logging in: back where the person was going, else home. */
function AfterLogin() {
  const from = (useLocation().state as { from?: string } | null)?.from;
  return <Navigate to={from && from.startsWith('/') && from !== '/login' ? from : '/'} replace />;
}

export function MobileApp() {
  const me = useMe();
  if (me.isPending) return <FullPageSpin />;
  if (me.isError) return <div className="m-page"><QueryError error={me.error} onRetry={() => void me.refetch()} /></div>;
  const owner = me.data?.user.kind === 'owner';
  // Field staff (ticket.work) get their tasks, with the offline queue replaying whatever waits on this phone.
  const worker = !owner && Boolean(me.data?.abilities.includes('ticket.work'));
  // Staff who manage billing read the meters (抄表) on their phone.
  const meterReader = !owner && Boolean(me.data?.abilities.includes('billing.manage'));
  const routes = (
    <Routes>
      <Route path="/login" element={me.data ? <AfterLogin /> : <OtpLoginPage />} />
      <Route element={<RequireLogin me={me.data} />}>
        <Route index element={owner ? <MyHomePage /> : <StaffDeskPage />} />
        <Route path="me" element={<MobileMePage />} />
        {owner && <Route path="household/new" element={<HouseholdRequestPage />} />}
        {owner && <Route path="tickets" element={<MyTicketsPage />} />}
        {owner && <Route path="tickets/new" element={<NewTicketPage />} />}
        {owner && <Route path="tickets/:id" element={<MyTicketPage />} />}
        {owner && <Route path="approvals" element={<ApprovalsPage />} />}
        {owner && <Route path="bills" element={<BillsPage />} />}
        {owner && <Route path="pay/sandbox" element={<SandboxPayPage />} />}
        {owner && <Route path="payments" element={<PaymentsPage />} />}
        {owner && <Route path="payments/:id" element={<PaymentPage />} />}
        {owner && <Route path="disclosure" element={<DisclosurePage />} />}
        {worker && <Route path="tasks" element={<TasksPage />} />}
        {worker && <Route path="tasks/:id" element={<TaskPage />} />}
        {meterReader && <Route path="meter-readings" element={<MeterReadingPage />} />}
        {/* Field operations: each module's phone pages decide within what its caller may do (abilities). */}
        {!owner && <Route path="patrol/*" element={<PatrolsMobile />} />}
        {!owner && <Route path="equipment/*" element={<EquipmentMobile />} />}
        {!owner && <Route path="quality/*" element={<QualityMobile />} />}
        {!owner && <Route path="cleaning/*" element={<CleaningMobile />} />}
        {!owner && <Route path="roster/*" element={<RostersMobile />} />}
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
  return worker && me.data ? <OfflineQueueProvider userId={me.data.user.id}>{routes}</OfflineQueueProvider> : routes;
}
