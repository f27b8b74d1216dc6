import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App, Button, DatePicker, Tabs } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { CommunitySelect } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { download } from '../../../lib/api.ts';
import { useAbilities } from '../../auth/api.ts';
import type { ArrearsGroup } from '../api-arrears.ts';
import { DebtorsTab } from '../components/arrears/DebtorsTab.tsx';
import { QuotasTab } from '../components/arrears/QuotasTab.tsx';
import { RateTab } from '../components/arrears/RateTab.tsx';
import { DEFAULT_ROOM_FILTERS, RoomsTab, type RoomFilters } from '../components/arrears/RoomsTab.tsx';
import { SummaryTab, type SummaryGroupBy } from '../components/arrears/SummaryTab.tsx';
import type { CampaignPrefill } from '../components/arrears/CampaignForm.tsx';

type TabKey = 'summary' | 'rooms' | 'debtors' | 'rate' | 'quotas';

/** 欠费与收缴率: arrears by group with aging, rooms in arrears, the largest debtors, the collection rate and its targets. */
export default function ArrearsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const can = useAbilities();
  const { community } = useCurrentCommunity();
  const [pageCommunity, setPageCommunity] = useState<string | undefined>(undefined);
  const communityId = community?.id ?? pageCommunity;
  const [asOf, setAsOf] = useState<Dayjs>(() => dayjs());
  const [tab, setTab] = useState<TabKey>('summary');
  const [groupBy, setGroupBy] = useState<SummaryGroupBy>('community');
  const [roomFilters, setRoomFilters] = useState<RoomFilters>(DEFAULT_ROOM_FILTERS);
  const [exporting, setExporting] = useState(false);
  const asOfText = asOf.format('YYYY-MM-DD');
  const canCollect = can('billing.collect') || can('billing.manage');

  const changeCommunity = (id: string | undefined) => {
    setPageCommunity(id);
    setRoomFilters(DEFAULT_ROOM_FILTERS);
  };

  const drill = (row: ArrearsGroup) => {
    const label = !communityId && row.name !== row.communityName ? `${row.communityName} ${row.name}` : row.name;
    setRoomFilters({
      ...DEFAULT_ROOM_FILTERS,
      communityId: row.communityId,
      buildingId: row.kind === 'building' && row.id ? row.id : undefined,
      zoneId: row.kind === 'zone' && row.id ? row.id : undefined,
      drillLabel: label,
    });
    setTab('rooms');
  };

  const exportXlsx = () => {
    setExporting(true);
    download('/api/arrears/summary.xlsx', { communityId, groupBy, asOf: asOfText }, 'arrears-summary.xlsx')
      .then((name) => void message.success(t('billingArrears.common.exported', { name })))
      .catch((err: Error) => void message.error(err.message))
      .finally(() => setExporting(false));
  };

  const startCampaign = (cid: string, roomIds: string[]) => {
    const prefill: CampaignPrefill = { communityId: cid, roomIds };
    navigate('/billing/collection', { state: { newCampaign: prefill } });
  };

  const showAsOf = tab === 'summary' || tab === 'rooms' || tab === 'debtors';
  return (
    <>
      <PageHeader
        title={t('billingArrears.arrears.title')}
        subtitle={t('billingArrears.arrears.subtitle')}
        extra={
          <>
            {!community && <CommunitySelect allowAll value={pageCommunity} onChange={changeCommunity} testId="arrears-community" />}
            {showAsOf && (
              <>
                <DatePicker value={asOf} allowClear={false} onChange={(d) => d && setAsOf(d)} disabledDate={(d) => d.isAfter(dayjs(), 'day')} prefix={t('billingArrears.common.asOf')} data-testid="arrears-asof" />
                <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportXlsx} data-testid="arrears-export">
                  {t('billingArrears.common.exportXlsx')}
                </Button>
              </>
            )}
          </>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as TabKey)}
        data-testid="arrears-tabs"
        items={[
          {
            key: 'summary',
            label: t('billingArrears.arrears.tabs.summary'),
            children: <SummaryTab communityId={communityId} asOf={asOfText} groupBy={groupBy} onGroupBy={setGroupBy} onDrill={drill} />,
          },
          {
            key: 'rooms',
            label: t('billingArrears.arrears.tabs.rooms'),
            children: <RoomsTab pageCommunityId={communityId} asOf={asOfText} filters={roomFilters} onFilters={setRoomFilters} canCollect={canCollect} onStartCampaign={startCampaign} />,
          },
          { key: 'debtors', label: t('billingArrears.arrears.tabs.debtors'), children: <DebtorsTab communityId={communityId} asOf={asOfText} /> },
          { key: 'rate', label: t('billingArrears.arrears.tabs.rate'), children: <RateTab communityId={communityId} asOf={asOfText} /> },
          ...(can('billing.manage') ? [{ key: 'quotas', label: t('billingArrears.arrears.tabs.quotas'), children: <QuotasTab communityId={communityId} /> }] : []),
        ]}
        destroyOnHidden
      />
    </>
  );
}
