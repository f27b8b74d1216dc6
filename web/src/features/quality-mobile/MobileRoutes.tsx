import { Route, Routes } from 'react-router-dom';
import { HomePage } from './pages/HomePage.tsx';
import { InspectionPage } from './pages/InspectionPage.tsx';
import { NoticePage } from './pages/NoticePage.tsx';

/** The phone pages of quality, under their prefix (see app/mobile/MobileApp.tsx). */
export default function QualityMobileRoutes() {
  return (
    <Routes>
      <Route index element={<HomePage />} />
      <Route path="inspections/:id" element={<InspectionPage />} />
      <Route path="notices/:id" element={<NoticePage />} />
      <Route path="*" element={<HomePage />} />
    </Routes>
  );
}
