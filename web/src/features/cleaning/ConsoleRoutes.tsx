import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import BoardPage from './pages/BoardPage.tsx';
import AreasPage from './pages/AreasPage.tsx';
import FiguresPage from './pages/FiguresPage.tsx';
import HistoryPage from './pages/HistoryPage.tsx';

const TABS = ['board', 'areas', 'figures', 'history'] as const;

/** The console's cleaning pages under /field/cleaning: today's board, areas and work items, figures, history. */
export default function CleaningConsoleRoutes() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const active = TABS.find((k) => k !== 'board' && pathname.includes(`/field/cleaning/${k}`)) ?? 'board';
  return (
    <>
      <Tabs
        activeKey={active}
        onChange={(k) => navigate(k === 'board' ? '/field/cleaning' : `/field/cleaning/${k}`)}
        items={TABS.map((k) => ({ key: k, label: <span data-testid={`cleaning-tab-${k}`}>{t(`cleaning.tabs.${k}`)}</span> }))}
        style={{ marginBottom: 4 }}
      />
      <Routes>
        <Route index element={<BoardPage />} />
        <Route path="areas" element={<AreasPage />} />
        <Route path="areas/:id" element={<AreasPage />} />
        <Route path="figures" element={<FiguresPage />} />
        <Route path="history" element={<HistoryPage />} />
        <Route path="*" element={<BoardPage />} />
      </Routes>
    </>
  );
}
