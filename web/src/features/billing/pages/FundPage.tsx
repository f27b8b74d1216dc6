import { useState } from 'react';
import { Empty, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useAbilities } from '../../auth/api.ts';
import { DisclosureTab } from '../components/arrears/DisclosureTab.tsx';
import { FundLedgerTab } from '../components/arrears/FundLedgerTab.tsx';

/** 维修资金与公示: one community's maintenance fund ledger, and the disclosure page its owners see. */
export default function FundPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [tab, setTab] = useState<'ledger' | 'disclosure'>('ledger');
  const canManage = can('billing.manage');

  return (
    <>
      <PageHeader
        title={t('billingArrears.fund.title')}
        subtitle={t('billingArrears.fund.subtitle')}
        extra={!fromHeader && <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} testId="fund-community" />}
      />
      {!communityId ? (
        <Empty description={t('billingArrears.common.chooseCommunity')} />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as 'ledger' | 'disclosure')}
          destroyOnHidden
          items={[
            { key: 'ledger', label: t('billingArrears.fund.tabs.ledger'), children: <FundLedgerTab key={communityId} communityId={communityId} canManage={canManage} /> },
            { key: 'disclosure', label: t('billingArrears.fund.tabs.disclosure'), children: <DisclosureTab key={communityId} communityId={communityId} canManage={canManage} /> },
          ]}
        />
      )}
    </>
  );
}
