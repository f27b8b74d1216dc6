import { Route, Routes } from 'react-router-dom';
import { Empty } from 'antd';

/** The console's rosters pages, under their prefix (see app/console/nav.tsx for the menu entries). */
export default function RostersConsoleRoutes() {
  return (
    <Routes>
      <Route path="*" element={<Empty />} />
    </Routes>
  );
}
