import { Empty, Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useAbilities } from '../../auth/api.ts';
import { InspectionsTab } from '../components/InspectionsTab.tsx';
import { SchedulesTab, TemplatesTab } from '../components/SetupTabs.tsx';
import { ReportTab, RewardsTab, ScoresTab } from '../components/FiguresTabs.tsx';

const TABS = ['inspections', 'templates', 'schedules', 'scores', 'rewards', 'report'] as const;
type Tab = (typeof TABS)[number];

/** 品质检查: one community's inspections, checklists, schedules, score trends, rewards and penalties and weekly report. */
export default function QualityPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const canManage = can('quality.manage');
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'inspections';
  return (
    <>
      <PageHeader title={t('quality.title')} subtitle={t('quality.subtitle')} extra={!fromHeader && <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} testId="quality-community" />} />
      {!communityId ? (
        <Empty description={t('quality.chooseCommunity')} />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          destroyOnHidden
          items={[
            { key: 'inspections', label: t('quality.tabs.inspections'), children: <InspectionsTab key={communityId} communityId={communityId} canManage={canManage} /> },
            { key: 'templates', label: t('quality.tabs.templates'), children: <TemplatesTab canManage={canManage} /> },
            { key: 'schedules', label: t('quality.tabs.schedules'), children: <SchedulesTab key={communityId} communityId={communityId} canManage={canManage} /> },
            { key: 'scores', label: t('quality.tabs.scores'), children: <ScoresTab key={communityId} communityId={communityId} /> },
            { key: 'rewards', label: t('quality.tabs.rewards'), children: <RewardsTab key={communityId} communityId={communityId} canManage={canManage} /> },
            { key: 'report', label: t('quality.tabs.report'), children: <ReportTab key={communityId} communityId={communityId} canManage={canManage} /> },
          ]}
        />
      )}
    </>
  );
}
