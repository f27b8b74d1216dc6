import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Card, Empty, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { MetersTab } from '../components/setup/MetersTab.tsx';
import { ReadingsTab } from '../components/setup/ReadingsTab.tsx';

const TABS = ['readings', 'meters'] as const;
type Tab = (typeof TABS)[number];

/** 抄表: a community's readings for a period (entered row by row or imported), and its meters. */
export default function MetersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const tab: Tab = TABS.find((x) => x === params.get('tab')) ?? 'readings';
  const content = (k: Tab): ReactNode => {
    if (!communityId) return <Empty description={t('billingSetup.noCommunity')} />;
    return k === 'readings' ? <ReadingsTab communityId={communityId} /> : <MetersTab communityId={communityId} />;
  };
  return (
    <>
      <PageHeader
        title={t('billingSetup.meters.title')}
        subtitle={t('billingSetup.meters.subtitle')}
        extra={!fromHeader ? <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} testId="page-community" /> : undefined}
      />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          destroyOnHidden
          items={TABS.map((k) => ({ key: k, label: <span data-testid={`meters-tab-${k}`}>{t(`billingSetup.meters.tabs.${k}`)}</span>, children: content(k) }))}
        />
      </Card>
    </>
  );
}
