import { Route, Routes } from 'react-router-dom';
import { Empty } from 'antd';

/** The console's quality pages, under their prefix (see app/console/nav.tsx for the menu entries). */
export default function QualityConsoleRoutes() {
  return (
    <Routes>
      <Route path="*" element={<Empty />} />
    </Routes>
  );
}
