import { Route, Routes } from 'react-router-dom';
import { Empty } from 'antd';

/** The phone pages of equipment, under their prefix (see app/mobile/MobileApp.tsx). */
export default function EquipmentMobileRoutes() {
  return (
    <Routes>
      <Route path="*" element={<Empty />} />
    </Routes>
  );
}
