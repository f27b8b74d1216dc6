import { useState, type ReactNode } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Button, Card, Descriptions, Result, Space, Table, Tabs, Typography } from 'antd';
import { AccountBookOutlined, ArrowLeftOutlined, CarOutlined, HistoryOutlined, HomeOutlined, SolutionOutlined, SwapOutlined, TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { isApiError } from '../../../lib/api.ts';
import { useAbilities } from '../../auth/api.ts';
import { RoomBillingTab } from '../../billing/components/setup/RoomBillingTab.tsx';
import { formatArea } from '../../communities/labels.ts';
import { useRoomHousehold } from '../../residents/api.ts';
import { HouseholdTab } from '../../residents/components/HouseholdTab.tsx';
import { MoveInPanel } from '../../residents/components/MoveInPanel.tsx';
import { ResidentDrawer } from '../../residents/components/ResidentDrawer.tsx';
import { VehiclesTable } from '../../residents/components/VehiclesTable.tsx';
import { useRoom, type RoomDetail } from '../api.ts';
import { floorLabel } from '../components/BuildingGrid.tsx';
import { RoomStatusTag } from '../components/RoomStatusTag.tsx';
import { StatusChangeModal } from '../components/StatusChangeModal.tsx';

type History = RoomDetail['history'][number];

function HistoryTable({ room }: { room: RoomDetail }) {
  const { t } = useTranslation();
  return (
    <Table<History>
      rowKey="id"
      size="small"
      dataSource={room.history}
      pagination={room.history.length > 20 ? { pageSize: 20 } : false}
      data-testid="status-history"
      scroll={{ x: 'max-content' }}
      columns={[
        { title: t('room.at'), dataIndex: 'at', render: formatDateTime, width: 180 },
        {
          title: t('room.change'),
          key: 'change',
          render: (_, h) => (
            <Space size={6}>
              {h.fromStatus ? <RoomStatusTag status={h.fromStatus} /> : <Typography.Text type="secondary">{t('room.initial')}</Typography.Text>}
              <span aria-hidden>→</span>
              <RoomStatusTag status={h.toStatus} />
            </Space>
          ),
        },
        { title: t('room.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
        { title: t('room.changedBy'), dataIndex: 'changedBy', render: (v: string | null) => v ?? t('room.system') },
      ]}
    />
  );
}

function VehiclesOfRoom({ room }: { room: RoomDetail }) {
  const household = useRoomHousehold(room.id);
  const people = [...new Map((household.data?.current ?? []).map((l) => [l.residentId, { id: l.residentId, name: l.residentName }])).values()];
  return <VehiclesTable vehicles={household.data?.vehicles ?? []} people={people} communityId={room.communityId} loading={household.isPending} />;
}

/**
 * 房屋: the room's facts and status, and tabs for its household, vehicles, move-in and status history. Later
 * modules (tickets, bills) add their tabs to `tabs` below.
 */
export default function RoomPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const can = useAbilities();
  const room = useRoom(id);
  const [changing, setChanging] = useState(false);
  const [resident, setResident] = useState<string | null>(null);
  const [moveInSignal, setMoveInSignal] = useState(0);
  const tab = params.get('tab') ?? 'household';
  const setTab = (key: string) => setParams({ tab: key }, { replace: true });

  if (room.error) {
    if (isApiError(room.error, 404)) return <Result status="404" title={t('room.notFound')} extra={<Button onClick={() => navigate('/estate')}>{t('common.back')}</Button>} />;
    return <QueryError error={room.error} onRetry={() => void room.refetch()} />;
  }
  if (!room.data) return <Card loading />;
  const r = room.data;

  const tabs: Array<{ key: string; label: ReactNode; children: ReactNode; show: boolean }> = [
    { key: 'household', label: <span data-testid="tab-household"><TeamOutlined /> {t('room.tabHousehold')}</span>, children: <HouseholdTab room={r} onOpenResident={setResident} />, show: can('resident.read') },
    { key: 'vehicles', label: <span data-testid="tab-vehicles"><CarOutlined /> {t('room.tabVehicles')}</span>, children: <VehiclesOfRoom room={r} />, show: can('resident.read') },
    { key: 'moveIn', label: <span data-testid="tab-movein"><SolutionOutlined /> {t('room.tabMoveIn')}</span>, children: <MoveInPanel room={r} startSignal={moveInSignal} />, show: can('resident.read') },
    { key: 'billing', label: <span data-testid="tab-billing"><AccountBookOutlined /> {t('billingSetup.room.tab')}</span>, children: <RoomBillingTab roomId={r.id} />, show: can('billing.read') },
    { key: 'history', label: <span data-testid="tab-history"><HistoryOutlined /> {t('room.tabHistory')}</span>, children: <HistoryTable room={r} />, show: true },
  ];
  const visible = tabs.filter((x) => x.show);
  const activeKey = visible.some((x) => x.key === tab) ? tab : visible[0].key;

  return (
    <>
      <PageHeader
        title={`${r.communityName} ${r.label}`}
        subtitle={t('room.subtitle', { kind: t(`estate.roomKinds.${r.kind}`), floor: floorLabel(r.floor) })}
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/estate?c=${r.communityId}&b=${r.buildingId}`)} data-testid="room-back">
            {t('room.backToBuilding', { building: r.buildingName })}
          </Button>
        }
      />
      <Card
        style={{ marginBottom: 16 }}
        title={t('room.facts')}
        extra={
          <Space wrap>
            {can('resident.manage') && (
              <Button
                type="primary"
                icon={<HomeOutlined />}
                onClick={() => {
                  setTab('moveIn');
                  setMoveInSignal((n) => n + 1);
                }}
                data-testid="room-movein"
              >
                {t('moveIn.start')}
              </Button>
            )}
            {can('estate.manage') && (
              <Button icon={<SwapOutlined />} onClick={() => setChanging(true)} data-testid="room-change-status">
                {t('room.changeStatus')}
              </Button>
            )}
          </Space>
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          data-testid="room-facts"
          items={[
            { key: 'status', label: t('estate.status'), children: <RoomStatusTag status={r.status} testId="room-status" /> },
            { key: 'kind', label: t('estate.roomKind'), children: t(`estate.roomKinds.${r.kind}`) },
            { key: 'built', label: t('estate.builtArea'), children: <span data-testid="room-built-area">{formatArea(r.builtArea)} ㎡</span> },
            { key: 'inner', label: t('estate.innerArea'), children: r.innerArea ? `${formatArea(r.innerArea)} ㎡` : '—' },
            { key: 'community', label: t('room.community'), children: r.communityName },
            { key: 'building', label: t('estate.building'), children: r.buildingName },
            { key: 'unit', label: t('estate.unit'), children: r.unitName ?? '—' },
            { key: 'floor', label: t('estate.floor'), children: `${floorLabel(r.floor)} · ${r.number}` },
          ]}
        />
      </Card>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs activeKey={activeKey} onChange={setTab} items={visible.map(({ key, label, children }) => ({ key, label, children }))} data-testid="room-tabs" />
      </Card>
      <StatusChangeModal room={r} open={changing} onClose={() => setChanging(false)} />
      <ResidentDrawer residentId={resident} onClose={() => setResident(null)} />
    </>
  );
}
