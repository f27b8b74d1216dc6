import { Route, Routes } from 'react-router-dom';
import { MyRosterPage } from './pages/MyRosterPage.tsx';

/** The phone pages of rosters, under /m/roster (see app/mobile/MobileApp.tsx). */
export default function RostersMobileRoutes() {
  return (
    <Routes>
      <Route path="*" element={<MyRosterPage />} />
    </Routes>
  );
}
