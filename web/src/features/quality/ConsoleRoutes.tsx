import { Navigate, Route, Routes } from 'react-router-dom';
import { useAbilities } from '../auth/api.ts';
import QualityPage from './pages/QualityPage.tsx';
import RectificationsPage from './pages/RectificationsPage.tsx';

/** The console's quality pages, under their prefix (see app/console/nav.tsx for the menu entries). */
export default function QualityConsoleRoutes() {
  const can = useAbilities();
  // Those who only rectify have no inspection pages: their way in is the notices.
  const reader = can('quality.read') || can('quality.manage');
  return (
    <Routes>
      <Route path="rectifications" element={<RectificationsPage />} />
      <Route path="*" element={reader ? <QualityPage /> : <Navigate to="rectifications" replace />} />
    </Routes>
  );
}
