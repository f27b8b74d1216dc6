import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Col, Flex, Row, Segmented, Select, Statistic, Table, Typography } from 'antd';
import { DollarOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../../components/QueryError.tsx';
import { formatDateTime, formatYuan } from '../../../../lib/format.ts';
import { useAbilities } from '../../../auth/api.ts';
import { useBillLines, useRoomBalances, useRoomBills, type BillLine, type LineStatus } from '../../api-setup.ts';
import { amountDue, waivable } from '../cash/due.ts';
import { AccruedLateFee, LateFeeTag, WaiveLateFeeModal } from '../cash/LateFee.tsx';
import { BasisDrawer, LineStatusTag, PeriodText } from './BasisDrawer.tsx';
import { ItemLabel } from './Pickers.tsx';

const BALANCE_KINDS = ['general', 'property', 'utilities'] as const;

type LineKind = 'charge' | 'lateFee';

/**
 * The room page's 收费 tab: its prepaid balances, its bills (its own and its meters') with the 滞纳金 they accrue or
 * were charged, 减免 of an unpaid late fee, a way to the counter.
 */
export function RoomBillingTab({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const [kind, setKind] = useState<LineKind | undefined>();
  const [waiting, setWaiting] = useState<BillLine | null>(null);
  const [paging, setPaging] = useState({ page: 1, pageSize: 10 });
  const [open, setOpen] = useState<BillLine | null>(null);
  // Open bills (unpaid and partly paid) are what the owner owes: all of them, at most 200 of each.
  const unpaid = useRoomBills(roomId, { status: 'unpaid', pageSize: 200 });
  const partial = useRoomBills(roomId, { status: 'partial', pageSize: 200 });
  // The room's bills of one kind come from the bill list (the room's own list has no kind filter); the same lines.
  const everything = useRoomBills(roomId, paging, status === 'all' && !kind);
  const ofKind = useBillLines({ ...paging, roomId, kind }, status === 'all' && Boolean(kind));
  const page = kind ? ofKind : everything;
  const balances = useRoomBalances(roomId);
  const openLines = [...(partial.data?.items ?? []), ...(unpaid.data?.items ?? [])].sort((a, b) => (a.periodStart < b.periodStart ? 1 : a.periodStart > b.periodStart ? -1 : 0));
  const { owedFen: owed, lateFeeFen } = amountDue(openLines);
  const capped = (unpaid.data?.total ?? 0) > 200 || (partial.data?.total ?? 0) > 200;
  const shown = status === 'open' ? openLines.filter((l) => !kind || l.kind === kind) : (page.data?.items ?? []);
  const bills = status === 'open' ? (unpaid.error ? unpaid : partial) : page;
  const loading = status === 'open' ? unpaid.isFetching || partial.isFetching : page.isFetching;
  const b = balances.data;

  return (
    <Flex vertical gap={16} data-testid="room-billing">
      <Row gutter={[16, 16]} align="stretch">
        <Col xs={24} md={6}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic title={t('billingSetup.room.owed')} value={formatYuan(owed)} prefix="¥" styles={{ content: { color: owed ? '#cf1322' : undefined } }} />
            {lateFeeFen > 0 && (
              <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="room-late-fee">
                {t('billingCash.lateFee.plus', { amount: formatYuan(lateFeeFen) })}
              </Typography.Text>
            )}
            {capped && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('billingSetup.room.owedCapped')}
              </Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" style={{ height: '100%' }} title={t('billingSetup.room.balances')} data-testid="room-balances">
            {balances.error ? (
              <QueryError error={balances.error} onRetry={() => void balances.refetch()} />
            ) : (
              <Flex gap={24} wrap>
                {BALANCE_KINDS.map((k) => (
                  <Statistic key={k} title={t(`billingSetup.balanceKinds.${k}`)} value={b ? formatYuan(b.balances[k]) : '—'} prefix="¥" styles={{ content: { fontSize: 18 } }} />
                ))}
                <Statistic title={t('billingSetup.room.balanceTotal')} value={b ? formatYuan(b.totalFen) : '—'} prefix="¥" styles={{ content: { fontSize: 18, fontWeight: 600 } }} />
              </Flex>
            )}
          </Card>
        </Col>
        <Col xs={24} md={6}>
          <Card size="small" style={{ height: '100%' }}>
            <Flex vertical gap={8} align="flex-start">
              <Typography.Text type="secondary">{t('billingSetup.room.counterHint')}</Typography.Text>
              {can('billing.collect') && (
                <Link to={`/billing/counter?roomId=${roomId}`}>
                  <Button type="primary" icon={<DollarOutlined />} data-testid="room-to-counter">
                    {t('billingSetup.room.toCounter')}
                  </Button>
                </Link>
              )}
            </Flex>
          </Card>
        </Col>
      </Row>
      {b && b.entries.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('billingSetup.room.lastEntry', {
            at: formatDateTime(b.entries[0].at),
            kind: t(`billingSetup.balanceKinds.${b.entries[0].kind}`),
            delta: `${b.entries[0].deltaFen > 0 ? '+' : ''}${formatYuan(b.entries[0].deltaFen)}`,
            after: formatYuan(b.entries[0].balanceAfterFen),
          })}
        </Typography.Text>
      )}
      <Flex justify="space-between" align="center">
        <Segmented
          value={status}
          onChange={(v) => {
            setStatus(v as 'open' | 'all');
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          options={[
            { value: 'open', label: t('billingSetup.room.openBills') },
            { value: 'all', label: t('billingSetup.room.allBills') },
          ]}
        />
        <Select
          allowClear
          value={kind}
          onChange={(v: LineKind | undefined) => {
            setKind(v);
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          placeholder={t('billingCash.lateFee.allKinds')}
          options={(['charge', 'lateFee'] as const).map((k) => ({ value: k, label: t(`billingCash.lateFee.kinds.${k}`) }))}
          style={{ width: 120 }}
          data-testid="room-bills-kind"
        />
      </Flex>
      {bills.error && <QueryError error={bills.error} onRetry={() => void bills.refetch()} />}
      <Table<BillLine>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={shown}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: status === 'open' ? t('billingSetup.room.noOpenBills') : t('billingSetup.bills.empty') }}
        onRow={(r) => ({ 'data-testid': 'room-bill-row', onClick: () => setOpen(r), style: { cursor: 'pointer' } }) as HTMLAttributes<HTMLElement>}
        pagination={
          status === 'open'
            ? shown.length > 20
              ? { pageSize: 20 }
              : false
            : { current: paging.page, pageSize: paging.pageSize, total: page.data?.total ?? 0, showTotal: (total) => t('common.total', { count: total }), onChange: (page, pageSize) => setPaging({ page, pageSize }) }
        }
        columns={[
          {
            title: t('billingSetup.bindings.item'),
            key: 'item',
            render: (_: unknown, r: BillLine) => (
              <Flex gap={4} align="center" wrap={false}>
                <ItemLabel name={r.itemName} kind={r.itemKind} />
                <LateFeeTag line={r} />
              </Flex>
            ),
          },
          { title: t('billingSetup.runs.period'), key: 'period', render: (_: unknown, r: BillLine) => <PeriodText line={r} /> },
          {
            title: t('billingSetup.bills.amount'),
            dataIndex: 'amountFen',
            align: 'right' as const,
            render: (v: number, r: BillLine) => (
              <>
                {formatYuan(v)}
                <AccruedLateFee fen={r.lateFeeAccruedFen} />
              </>
            ),
          },
          { title: t('billingSetup.bills.paid'), dataIndex: 'paidFen', align: 'right' as const, render: (v: number) => (v ? formatYuan(v) : '—') },
          { title: t('common.status'), dataIndex: 'status', render: (_: LineStatus, r: BillLine) => <LineStatusTag line={r} /> },
          { title: t('billingSetup.bills.dueDate'), dataIndex: 'dueDate' },
          {
            title: t('billingSetup.bills.basis'),
            key: 'basis',
            render: (_: unknown, r: BillLine) => (
              <Flex gap={12} onClick={(e) => e.stopPropagation()}>
                <Typography.Link onClick={() => setOpen(r)}>{t('billingSetup.bills.showBasis')}</Typography.Link>
                {can('billing.waive') && waivable(r) && (
                  <Typography.Link type="danger" onClick={() => setWaiting(r)} data-testid="room-bill-waive">
                    {t('billingCash.lateFee.waive')}
                  </Typography.Link>
                )}
              </Flex>
            ),
          },
        ]}
      />
      <BasisDrawer line={open} onClose={() => setOpen(null)} />
      <WaiveLateFeeModal line={waiting} onClose={() => setWaiting(null)} onDone={(fen) => void message.success(t('billingCash.lateFee.waivedDone', { amount: formatYuan(fen) }))} />
    </Flex>
  );
}
