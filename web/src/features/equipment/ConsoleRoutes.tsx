import { Route, Routes } from 'react-router-dom';
import { LedgerPage } from './pages/LedgerPage.tsx';
import { EquipmentPage } from './pages/EquipmentPage.tsx';
import { MaintenancePage } from './pages/MaintenancePage.tsx';

/** The console's equipment pages, under /field/equipment (see app/console/nav.tsx for the menu entries). */
export default function EquipmentConsoleRoutes() {
  return (
    <Routes>
      <Route index element={<LedgerPage />} />
      <Route path="maintenance" element={<MaintenancePage />} />
      <Route path=":id" element={<EquipmentPage />} />
    </Routes>
  );
}
