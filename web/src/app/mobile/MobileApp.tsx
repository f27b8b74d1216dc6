import { Navigate, Route, Routes } from 'react-router-dom';
import { useMe, type Me } from '../../features/auth/api.ts';
import { OtpLoginPage } from '../../features/auth/pages/OtpLoginPage.tsx';
import { MobileMePage } from '../../features/auth/pages/MobileMePage.tsx';
import { MyHomePage } from '../../features/owner/pages/MyHomePage.tsx';
import { HouseholdRequestPage } from '../../features/owner/pages/HouseholdRequestPage.tsx';
import { StaffDeskPage } from '../../features/staff/pages/StaffDeskPage.tsx';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { MobileLayout } from './MobileLayout.tsx';

function RequireLogin({ me }: { me: Me | null }) {
  if (!me) return <Navigate to="/login" replace />;
  return <MobileLayout />;
}

export function MobileApp() {
  const me = useMe();
  if (me.isPending) return <FullPageSpin />;
  if (me.isError) return <div className="m-page"><QueryError error={me.error} onRetry={() => void me.refetch()} /></div>;
  const owner = me.data?.user.kind === 'owner';
  return (
    <Routes>
      <Route path="/login" element={me.data ? <Navigate to="/" replace /> : <OtpLoginPage />} />
      <Route element={<RequireLogin me={me.data} />}>
        <Route index element={owner ? <MyHomePage /> : <StaffDeskPage />} />
        <Route path="me" element={<MobileMePage />} />
        {owner && <Route path="household/new" element={<HouseholdRequestPage />} />}
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}
