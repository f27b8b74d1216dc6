import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Flex, Segmented, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../../components/QueryError.tsx';
import { useDebtors, type ArrearsRoom } from '../../api-arrears.ts';
import { BUCKETS, Money } from './shared.tsx';

/** An owed amount as a bar split by age, so a long-standing debt stands out from a large recent one. */
function AgingBar({ room, max }: { room: ArrearsRoom; max: number }) {
  const { t } = useTranslation();
  const width = max > 0 ? Math.max(2, Math.round((room.owedFen / max) * 160)) : 0;
  return (
    <div style={{ display: 'flex', width, height: 10, borderRadius: 2, overflow: 'hidden' }}>
      {BUCKETS.filter((b) => room.buckets[b.key] > 0).map((b) => (
        <div key={b.key} title={t(`billingArrears.buckets.${b.key}`)} style={{ flex: room.buckets[b.key], background: b.color }} />
      ))}
    </div>
  );
}

/** 欠费大户: the rooms owing the most. */
export function DebtorsTab({ communityId, asOf }: { communityId: string | undefined; asOf: string }) {
  const { t } = useTranslation();
  const [limit, setLimit] = useState(20);
  const q = useDebtors({ communityId, limit, asOf });
  const items = q.data?.items ?? [];
  const max = items[0]?.owedFen ?? 0;
  return (
    <div data-testid="arrears-debtors">
      <Flex gap={12} align="center" wrap style={{ marginBottom: 12 }}>
        <Segmented value={limit} onChange={(v) => setLimit(Number(v))} options={[20, 50, 100].map((n) => ({ value: n, label: t('billingArrears.arrears.topN', { n }) }))} />
        <Typography.Text type="secondary">{t('billingArrears.arrears.debtorsHint')}</Typography.Text>
      </Flex>
      {q.error && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      <Table<ArrearsRoom>
        size="small"
        rowKey="roomId"
        dataSource={items}
        loading={q.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('billingArrears.arrears.empty') }}
        data-testid="arrears-debtors-table"
        columns={[
          { title: t('billingArrears.arrears.rank'), key: 'rank', width: 56, align: 'center', render: (_: unknown, _r, i) => <Typography.Text strong={i < 3}>{i + 1}</Typography.Text> },
          { title: t('billingArrears.common.room'), dataIndex: 'roomLabel', render: (v: string, r) => <Link to={`/estate/rooms/${r.roomId}`}>{v}</Link> },
          ...(communityId ? [] : [{ title: t('billingArrears.common.community'), dataIndex: 'communityName' }]),
          { title: t('billingArrears.common.owner'), dataIndex: 'ownerName', render: (v: string | null) => v ?? '—' },
          { title: t('billingArrears.arrears.owed'), dataIndex: 'owedFen', align: 'right', render: (v: number) => <Money fen={v} strong type="danger" /> },
          { title: t('billingArrears.arrears.byAging'), key: 'aging', render: (_: unknown, r) => <AgingBar room={r} max={max} /> },
          { title: t('billingArrears.arrears.lines'), dataIndex: 'lines', align: 'right' },
          { title: t('billingArrears.arrears.oldestDue'), dataIndex: 'oldestDueDate' },
          { title: t('billingArrears.arrears.daysOverdue'), dataIndex: 'daysOverdue', align: 'right', render: (v: number) => t('billingArrears.arrears.daysValue', { days: v }) },
        ]}
      />
    </div>
  );
}
