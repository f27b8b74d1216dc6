import { Route, Routes } from 'react-router-dom';
import { Empty } from 'antd';

/** The console's equipment pages, under their prefix (see app/console/nav.tsx for the menu entries). */
export default function EquipmentConsoleRoutes() {
  return (
    <Routes>
      <Route path="*" element={<Empty />} />
    </Routes>
  );
}
