import { Navigate, Route, Routes } from 'react-router-dom';
import { useCurrentMe } from '../auth/api.ts';
import { CheckinQueueProvider } from './queue.tsx';
import { MyPatrolPage } from './pages/MyPatrolPage.tsx';
import { ScanPage } from './pages/ScanPage.tsx';

/** The phone pages of patrols, under their prefix (see app/mobile/MobileApp.tsx); for staff who check in. */
export default function PatrolsMobileRoutes() {
  const me = useCurrentMe();
  if (!me.abilities.includes('patrol.checkin')) return <Navigate to="/" replace />;
  return (
    <CheckinQueueProvider userId={me.user.id}>
      <Routes>
        <Route index element={<MyPatrolPage />} />
        <Route path="scan/:code" element={<ScanPage />} />
        <Route path="*" element={<Navigate to="/patrol" replace />} />
      </Routes>
    </CheckinQueueProvider>
  );
}
