import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Card, Empty, Flex, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { BindingsTab } from '../components/setup/BindingsTab.tsx';
import { ItemsTab } from '../components/setup/ItemsTab.tsx';
import { VacancyTab } from '../components/setup/VacancyTab.tsx';

const TABS = ['items', 'bindings', 'vacancy'] as const;
type Tab = (typeof TABS)[number];

/** 收费项目: the company's fee items (all communities, or the header's), their bindings and vacancy approvals. */
export default function FeeItemsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { community } = useCurrentCommunity();
  const page = usePageCommunity();
  const tab: Tab = TABS.find((x) => x === params.get('tab')) ?? 'items';
  // Bindings and vacancy belong to one community: the header's, or one chosen here.
  const needsOne = tab !== 'items';
  const one = page.communityId;
  const content: Record<Tab, ReactNode> = {
    items: <ItemsTab communityId={community?.id} />,
    bindings: one ? <BindingsTab communityId={one} /> : <Empty description={t('billingSetup.noCommunity')} />,
    vacancy: one ? <VacancyTab communityId={one} /> : <Empty description={t('billingSetup.noCommunity')} />,
  };
  return (
    <>
      <PageHeader
        title={t('billingSetup.items.title')}
        subtitle={t('billingSetup.items.subtitle')}
        extra={needsOne && !page.fromHeader ? <CommunitySelect value={one} onChange={(id) => id && page.setCommunityId(id)} testId="page-community" /> : undefined}
      />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          destroyOnHidden
          items={TABS.map((k) => ({ key: k, label: <span data-testid={`items-tab-${k}`}>{t(`billingSetup.items.tabs.${k}`)}</span>, children: <Flex vertical>{content[k]}</Flex> }))}
        />
      </Card>
    </>
  );
}
