import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Flex, Input, InputNumber, Segmented, Select, Table, Tag, Tooltip, Typography, theme } from 'antd';
import { NotificationOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../../components/QueryError.tsx';
import { formatYuan, yuanToFen } from '../../../../lib/format.ts';
import { useBuildings, useZones } from '../../../estate/api.ts';
import { arrearsNoticesPdf, openPdf, useArrearsRooms, type ArrearsRoom } from '../../api-arrears.ts';
import { BUCKETS, Money } from './shared.tsx';

export interface RoomFilters {
  /** A community picked by drilling down while the page shows all communities. */
  communityId?: string;
  buildingId?: string;
  zoneId?: string;
  /** What the drill-down was about, for the filter tag. */
  drillLabel?: string;
  minOwedFen?: number;
  minOverdueDays?: number;
  sort: 'owed' | 'oldest';
  page: number;
  pageSize: number;
}

export const DEFAULT_ROOM_FILTERS: RoomFilters = { sort: 'owed', page: 1, pageSize: 20 };

/** The owed amount typed in yuan; the filter keeps 分. */
function MinOwedInput({ fen, onChange }: { fen: number | undefined; onChange: (fen: number | undefined) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(fen === undefined ? '' : formatYuan(fen).replace(/,/g, ''));
  const bad = text.trim() !== '' && yuanToFen(text) === null;
  const apply = () => {
    if (text.trim() === '') return onChange(undefined);
    const v = yuanToFen(text);
    if (v !== null) onChange(v);
  };
  return (
    <Tooltip open={bad} title={t('billingArrears.common.amountFormat')}>
      <Input
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={apply}
        onPressEnter={apply}
        status={bad ? 'error' : undefined}
        placeholder={t('billingArrears.arrears.minOwed')}
        style={{ width: 170 }}
        allowClear
        inputMode="decimal"
        data-testid="arrears-min-owed"
      />
    </Tooltip>
  );
}

/** 欠费明细: rooms in arrears with filters; ticked rooms go to a reminder campaign or get printed notices. */
export function RoomsTab({
  pageCommunityId,
  asOf,
  filters,
  onFilters,
  canCollect,
  onStartCampaign,
}: {
  pageCommunityId: string | undefined;
  asOf: string;
  filters: RoomFilters;
  onFilters: (f: RoomFilters) => void;
  canCollect: boolean;
  onStartCampaign: (communityId: string, roomIds: string[]) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const communityId = pageCommunityId ?? filters.communityId;
  const buildings = useBuildings(communityId);
  const zones = useZones(communityId);
  const q = useArrearsRooms({
    communityId,
    buildingId: filters.buildingId,
    zoneId: filters.zoneId,
    minOwedFen: filters.minOwedFen,
    minOverdueDays: filters.minOverdueDays,
    sort: filters.sort,
    page: filters.page,
    pageSize: filters.pageSize,
    asOf,
  });
  const [selected, setSelected] = useState<Map<string, ArrearsRoom>>(new Map());
  const [printing, setPrinting] = useState(false);
  const set = (patch: Partial<RoomFilters>) => onFilters({ ...filters, page: 1, ...patch });

  const picked = [...selected.values()];
  const communities = new Set(picked.map((r) => r.communityId));
  const oneCommunity = communities.size === 1 ? picked[0].communityId : null;
  const blocked = picked.length === 0 ? t('billingArrears.arrears.chooseRooms') : !oneCommunity ? t('billingArrears.arrears.oneCommunityOnly') : null;

  const print = () => {
    if (!oneCommunity) return;
    setPrinting(true);
    openPdf(() => arrearsNoticesPdf({ communityId: oneCommunity, roomIds: picked.map((r) => r.roomId), asOf }), t('billingArrears.collection.noticesFile'))
      .then((opened) => void message.success(opened ? t('billingArrears.common.pdfOpened') : t('billingArrears.common.pdfBlocked', { name: t('billingArrears.collection.noticesFile') })))
      .catch((err: Error) => void message.error(err.message))
      .finally(() => setPrinting(false));
  };

  return (
    <div data-testid="arrears-rooms">
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        {filters.drillLabel && (
          <Tag closable color="blue" onClose={() => onFilters({ ...DEFAULT_ROOM_FILTERS, sort: filters.sort, pageSize: filters.pageSize })} data-testid="arrears-drill-tag">
            {t('billingArrears.arrears.drill', { name: filters.drillLabel })}
          </Tag>
        )}
        {communityId && (
          <>
            <Select
              allowClear
              placeholder={t('billingArrears.common.building')}
              value={filters.buildingId}
              onChange={(v: string | undefined) => set({ buildingId: v, drillLabel: undefined })}
              options={(buildings.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))}
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 150 }}
              data-testid="arrears-building"
            />
            <Select
              allowClear
              placeholder={t('billingArrears.common.zone')}
              value={filters.zoneId}
              onChange={(v: string | undefined) => set({ zoneId: v, drillLabel: undefined })}
              options={(zones.data?.items ?? []).map((z) => ({ value: z.id, label: z.name }))}
              style={{ width: 150 }}
              data-testid="arrears-zone"
            />
          </>
        )}
        <MinOwedInput fen={filters.minOwedFen} onChange={(v) => set({ minOwedFen: v })} />
        <InputNumber
          min={1}
          max={36500}
          precision={0}
          value={filters.minOverdueDays}
          onChange={(v) => set({ minOverdueDays: v ?? undefined })}
          placeholder={t('billingArrears.arrears.minOverdueDays')}
          style={{ width: 170 }}
          data-testid="arrears-min-days"
        />
        <Segmented
          value={filters.sort}
          onChange={(v) => set({ sort: v as RoomFilters['sort'] })}
          options={(['owed', 'oldest'] as const).map((s) => ({ value: s, label: t(`billingArrears.arrears.sort.${s}`) }))}
          data-testid="arrears-sort"
        />
      </Flex>
      {canCollect && (
        <Flex gap={8} align="center" wrap style={{ marginBottom: 12, padding: '8px 12px', background: picked.length ? token.colorPrimaryBg : token.colorFillQuaternary, borderRadius: token.borderRadius }} data-testid="arrears-selection">
          <Typography.Text strong>{t('billingArrears.arrears.selected', { count: picked.length })}</Typography.Text>
          {picked.length > 0 && (
            <>
              <Typography.Text type="secondary">¥{formatYuan(picked.reduce((s, r) => s + r.owedFen, 0))}</Typography.Text>
              <Button size="small" type="link" onClick={() => setSelected(new Map())}>
                {t('billingArrears.arrears.clearSelection')}
              </Button>
            </>
          )}
          <span style={{ flex: 1 }} />
          <Tooltip title={blocked}>
            <Button type="primary" icon={<NotificationOutlined />} disabled={blocked !== null} onClick={() => oneCommunity && onStartCampaign(oneCommunity, picked.map((r) => r.roomId))} data-testid="arrears-start-campaign">
              {t('billingArrears.arrears.startCampaign')}
            </Button>
          </Tooltip>
          <Tooltip title={blocked}>
            <Button icon={<PrinterOutlined />} disabled={blocked !== null} loading={printing} onClick={print} data-testid="arrears-print-notices">
              {t('billingArrears.arrears.printNotices')}
            </Button>
          </Tooltip>
        </Flex>
      )}
      {q.error && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      <Table<ArrearsRoom>
        size="small"
        rowKey="roomId"
        dataSource={q.data?.items ?? []}
        loading={q.isFetching}
        scroll={{ x: 'max-content' }}
        data-testid="arrears-rooms-table"
        onRow={() => ({ 'data-testid': 'arrears-room-row' }) as HTMLAttributes<HTMLTableRowElement>}
        locale={{ emptyText: t('billingArrears.arrears.noRooms') }}
        rowSelection={
          canCollect
            ? {
                selectedRowKeys: [...selected.keys()],
                preserveSelectedRowKeys: true,
                onChange: (_keys, rows) =>
                  setSelected((prev) => {
                    // Rows of other pages stay picked; this page's ticks are replaced by what the table reports.
                    const next = new Map([...prev].filter(([id]) => !(q.data?.items ?? []).some((r) => r.roomId === id)));
                    for (const r of rows) if (r) next.set(r.roomId, r);
                    return next;
                  }),
              }
            : undefined
        }
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: q.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('billingArrears.arrears.totalRooms', { n }),
          onChange: (page, pageSize) => onFilters({ ...filters, page: pageSize === filters.pageSize ? page : 1, pageSize }),
        }}
        columns={[
          { title: t('billingArrears.common.room'), dataIndex: 'roomLabel', fixed: 'left', render: (v: string, r) => <Link to={`/estate/rooms/${r.roomId}`}>{v}</Link> },
          ...(pageCommunityId ? [] : [{ title: t('billingArrears.common.community'), dataIndex: 'communityName' }]),
          { title: t('billingArrears.common.owner'), dataIndex: 'ownerName', render: (v: string | null) => v ?? '—' },
          { title: t('billingArrears.arrears.owed'), dataIndex: 'owedFen', align: 'right', render: (v: number) => <Money fen={v} strong type="danger" /> },
          { title: t('billingArrears.arrears.lines'), dataIndex: 'lines', align: 'right' },
          { title: t('billingArrears.arrears.oldestDue'), dataIndex: 'oldestDueDate' },
          { title: t('billingArrears.arrears.daysOverdue'), dataIndex: 'daysOverdue', align: 'right', render: (v: number) => <Typography.Text type={v > 180 ? 'danger' : undefined}>{t('billingArrears.arrears.daysValue', { days: v })}</Typography.Text> },
          ...BUCKETS.map((b) => ({
            key: b.key,
            title: t(`billingArrears.buckets.${b.key}`),
            align: 'right' as const,
            render: (_: unknown, r: ArrearsRoom) => (r.buckets[b.key] ? <Money fen={r.buckets[b.key]} /> : <Typography.Text type="secondary">—</Typography.Text>),
          })),
        ]}
      />
    </div>
  );
}
