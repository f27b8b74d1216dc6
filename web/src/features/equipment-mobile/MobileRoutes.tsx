import { Route, Routes } from 'react-router-dom';
import { MyTasksPage } from './pages/MyTasksPage.tsx';
import { DoTaskPage } from './pages/DoTaskPage.tsx';
import { EquipmentPage } from './pages/EquipmentPage.tsx';
import { ScanPage } from './pages/ScanPage.tsx';

/** The phone pages of equipment, under /m/equipment (see app/mobile/MobileApp.tsx). */
export default function EquipmentMobileRoutes() {
  return (
    <Routes>
      <Route index element={<MyTasksPage />} />
      <Route path="tasks/:id" element={<DoTaskPage />} />
      <Route path="scan/:code" element={<ScanPage />} />
      <Route path=":id" element={<EquipmentPage />} />
    </Routes>
  );
}
