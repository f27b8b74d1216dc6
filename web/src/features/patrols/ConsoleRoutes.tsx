import { Route, Routes } from 'react-router-dom';
import { PatrolsPage } from './pages/PatrolsPage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';

/** The console's patrols pages, under their prefix (see app/console/nav.tsx for the menu entries). */
export default function PatrolsConsoleRoutes() {
  return (
    <Routes>
      <Route path="setup" element={<SetupPage />} />
      <Route path="*" element={<PatrolsPage />} />
    </Routes>
  );
}
