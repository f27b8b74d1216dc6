import { Route, Routes } from 'react-router-dom';
import StructurePage from './pages/StructurePage.tsx';
import RosterBoardPage from './pages/RosterBoardPage.tsx';
import CertificatesPage from './pages/CertificatesPage.tsx';

/** The console's rosters pages, under /field/staff (see app/console/nav.tsx for the menu entries). */
export default function RostersConsoleRoutes() {
  return (
    <Routes>
      <Route index element={<StructurePage />} />
      <Route path="rosters" element={<RosterBoardPage />} />
      <Route path="certificates" element={<CertificatesPage />} />
      <Route path="*" element={<StructurePage />} />
    </Routes>
  );
}
