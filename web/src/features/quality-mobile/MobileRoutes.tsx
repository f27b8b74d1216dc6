import { Route, Routes } from 'react-router-dom';
import { Empty } from 'antd';

/** The phone pages of quality, under their prefix (see app/mobile/MobileApp.tsx). */
export default function QualityMobileRoutes() {
  return (
    <Routes>
      <Route path="*" element={<Empty />} />
    </Routes>
  );
}
