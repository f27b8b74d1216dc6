import { Route, Routes } from 'react-router-dom';
import { TodayPage } from './pages/TodayPage.tsx';
import { TaskPage } from './pages/TaskPage.tsx';

/** The phone pages of cleaning, under /m/cleaning: my tasks today, and completing one. */
export default function CleaningMobileRoutes() {
  return (
    <Routes>
      <Route index element={<TodayPage />} />
      <Route path="tasks/:id" element={<TaskPage />} />
      <Route path="*" element={<TodayPage />} />
    </Routes>
  );
}
