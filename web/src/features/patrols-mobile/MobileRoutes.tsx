import { Route, Routes } from 'react-router-dom';
import { Empty } from 'antd';

/** The phone pages of patrols, under their prefix (see app/mobile/MobileApp.tsx). */
export default function PatrolsMobileRoutes() {
  return (
    <Routes>
      <Route path="*" element={<Empty />} />
    </Routes>
  );
}
