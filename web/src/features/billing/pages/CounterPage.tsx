import { useMemo, useState, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { App, Button, Card, Col, Descriptions, Empty, Flex, Popconfirm, Row, Skeleton, Table, Tag, Typography } from 'antd';
import { UnorderedListOutlined, WalletOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatYuan } from '../../../lib/format.ts';
import { useAbilities } from '../../auth/api.ts';
import { useRoom } from '../../estate/api.ts';
import { useRoomHousehold } from '../../residents/api.ts';
import { BALANCE_KINDS } from '../../../../../src/modules/billing/payment-schema.ts';
import { useBalances, useOpenBills, useSettle, type BillLine, type PaymentDetail } from '../api-cash.ts';
import { amountDue, waivable } from '../components/cash/due.ts';
import { Money, overdueDays } from '../components/cash/labels.tsx';
import { LateFeeTag, WaiveLateFeeModal } from '../components/cash/LateFee.tsx';
import { PaymentForm } from '../components/cash/PaymentForm.tsx';
import { PrepayForm } from '../components/cash/PrepayForm.tsx';
import { PayResult } from '../components/cash/PayResult.tsx';
import { RoomFinder } from '../components/cash/RoomFinder.tsx';

/** Oldest due first, then the period: the order arrears are paid off in (the server's `byAge`). */
function byAge(a: BillLine, b: BillLine): number {
  return a.dueDate.localeCompare(b.dueDate) || a.periodStart.localeCompare(b.periodStart) || a.id.localeCompare(b.id);
}

function OpenBills({
  lines,
  deselected,
  onDeselect,
  waive,
  onWaiveLine,
}: {
  lines: BillLine[];
  deselected: Set<string>;
  onDeselect: (ids: Set<string>) => void;
  /** 减免滞纳金 is on in the form: the total leaves the late fees out. */
  waive: boolean;
  /** Offered on unpaid late-fee lines to those who may waive. */
  onWaiveLine?: (l: BillLine) => void;
}) {
  const { t } = useTranslation();
  const selected = lines.filter((l) => !deselected.has(l.id));
  const due = amountDue(selected, waive);
  const hasLateFees = lines.some((l) => l.lateFeeAccruedFen > 0 || l.kind === 'lateFee');
  return (
    <Table<BillLine>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={lines}
      scroll={{ x: 'max-content', y: 420 }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingCash.counter.noOpenBills')} /> }}
      data-testid="counter-bills"
      onRow={(l) => ({ 'data-testid': 'counter-bill', 'data-period': l.periodKey }) as HTMLAttributes<HTMLElement>}
      rowSelection={{
        selectedRowKeys: selected.map((l) => l.id),
        onChange: (keys) => onDeselect(new Set(lines.filter((l) => !keys.includes(l.id)).map((l) => l.id))),
      }}
      columns={[
        {
          title: t('billingCash.col.item'),
          dataIndex: 'itemName',
          render: (v: string, l) => (
            <Flex vertical>
              <span style={{ whiteSpace: 'nowrap' }}>
                {v} <LateFeeTag line={l} />
              </span>
              {l.parkingSpaceNumber && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {l.parkingSpaceNumber}
                </Typography.Text>
              )}
            </Flex>
          ),
        },
        { title: t('billingCash.col.period'), dataIndex: 'periodKey', render: (v: string, l) => <span title={`${l.periodStart} ~ ${l.periodEnd}`} style={{ whiteSpace: 'nowrap' }}>{v}</span> },
        { title: t('billingCash.col.amount'), dataIndex: 'amountFen', align: 'right', render: (v: number) => <Money fen={v} /> },
        { title: t('billingCash.col.paid'), dataIndex: 'paidFen', align: 'right', render: (v: number) => (v ? <Money fen={v} type="secondary" /> : <Typography.Text type="secondary">—</Typography.Text>) },
        { title: t('billingCash.col.owed'), key: 'owed', align: 'right', render: (_: unknown, l) => <Money fen={l.amountFen - l.paidFen} strong type="danger" /> },
        ...(hasLateFees
          ? [
              {
                title: t('billingCash.lateFee.column'),
                key: 'lateFee',
                align: 'right' as const,
                render: (_: unknown, l: BillLine) =>
                  l.lateFeeAccruedFen > 0 ? (
                    <Typography.Text type={waive ? 'secondary' : 'warning'} delete={waive} style={{ whiteSpace: 'nowrap' }} data-testid="counter-late-fee">
                      +¥{formatYuan(l.lateFeeAccruedFen)}
                    </Typography.Text>
                  ) : onWaiveLine && waivable(l) ? (
                    <Typography.Link onClick={() => onWaiveLine(l)} data-testid="counter-waive-line">
                      {t('billingCash.lateFee.waive')}
                    </Typography.Link>
                  ) : (
                    <Typography.Text type="secondary">—</Typography.Text>
                  ),
              },
            ]
          : []),
        { title: t('billingCash.col.dueDate'), dataIndex: 'dueDate', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> },
        {
          title: t('billingCash.col.overdue'),
          key: 'overdue',
          render: (_: unknown, l) => {
            const days = overdueDays(l.dueDate);
            return days > 0 ? <Tag color={days > 90 ? 'red' : days > 30 ? 'volcano' : 'orange'}>{t('billingCash.overdueDays', { count: days })}</Tag> : <Typography.Text type="secondary">{t('billingCash.notDue')}</Typography.Text>;
          },
        },
      ]}
      summary={() =>
        lines.length > 0 && (
          <Table.Summary fixed>
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={hasLateFees ? 7 : 6}>
                <Typography.Text type="secondary">{t('billingCash.counter.selected', { count: selected.length })}</Typography.Text>{' '}
                <Money fen={due.dueFen} strong testId="counter-selected-total" />
                {due.lateFeeFen > 0 && (
                  <Typography.Text type="warning" style={{ marginLeft: 6 }} data-testid="counter-selected-late-fee">
                    {t('billingCash.lateFee.included', { amount: formatYuan(due.lateFeeFen) })}
                  </Typography.Text>
                )}
                {due.waivedFen > 0 && (
                  <Typography.Text type="secondary" style={{ marginLeft: 6 }}>
                    {t('billingCash.lateFee.waivedAmount', { amount: formatYuan(due.waivedFen) })}
                  </Typography.Text>
                )}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={hasLateFees ? 7 : 6} colSpan={2}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('billingCash.counter.oldestFirst')}
                </Typography.Text>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          </Table.Summary>
        )
      }
    />
  );
}

function Balances({ roomId, hasOpenBills }: { roomId: string; hasOpenBills: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const balances = useBalances(roomId);
  const settle = useSettle();
  const total = balances.data?.totalFen ?? 0;
  return (
    <Card
      size="small"
      title={
        <span>
          <WalletOutlined /> {t('billingCash.counter.balances')}
        </span>
      }
      extra={
        total > 0 &&
        hasOpenBills && (
          <Popconfirm
            title={t('billingCash.counter.settle')}
            description={<div style={{ maxWidth: 280 }}>{t('billingCash.counter.settleConfirm')}</div>}
            onConfirm={() =>
              settle.mutate(roomId, {
                onSuccess: (r) => void (r.settledFen > 0 ? message.success(t('billingCash.counter.settled', { amount: formatYuan(r.settledFen) })) : message.info(t('billingCash.counter.nothingSettled'))),
                onError: (e) => void message.error(e.message),
              })
            }
          >
            <Button size="small" loading={settle.isPending} data-testid="counter-settle">
              {t('billingCash.counter.settle')}
            </Button>
          </Popconfirm>
        )
      }
      style={{ marginBottom: 16 }}
      data-testid="counter-balances"
    >
      {balances.error && <QueryError error={balances.error} onRetry={() => void balances.refetch()} />}
      {balances.isPending ? (
        <Skeleton active paragraph={{ rows: 1 }} title={false} />
      ) : total === 0 ? (
        <Typography.Text type="secondary">{t('billingCash.counter.noBalance')}</Typography.Text>
      ) : (
        <Flex gap={16} wrap>
          {BALANCE_KINDS.map((k) => (
            <Flex vertical key={k}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`billingCash.balanceKinds.${k}`)}
              </Typography.Text>
              <Money fen={balances.data?.balances[k] ?? 0} />
            </Flex>
          ))}
          <Flex vertical>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('billingCash.counter.balanceTotal')}
            </Typography.Text>
            <Money fen={total} strong type="success" testId="counter-balance-total" />
          </Flex>
        </Flex>
      )}
    </Card>
  );
}

/**
 * One room at the counter: its open bills (all ticked, oldest first) with the late fees paying them adds, balances,
 * and the payment form (收款, or 预交 months ahead) or its result.
 */
function CounterDesk({ roomId, onNext }: { roomId: string; onNext: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const [tab, setTab] = useState<'pay' | 'prepay'>('pay');
  const [waive, setWaive] = useState(false);
  const [waiting, setWaiting] = useState<BillLine | null>(null);
  const room = useRoom(roomId);
  const household = useRoomHousehold(can('resident.read') ? roomId : undefined);
  const bills = useOpenBills(roomId);
  const [deselected, setDeselected] = useState<Set<string>>(new Set());
  const [result, setResult] = useState<PaymentDetail | null>(null);
  const lines = useMemo(() => [...(bills.data ?? [])].sort(byAge), [bills.data]);
  const selected = lines.filter((l) => !deselected.has(l.id));
  const open = amountDue(lines);
  const openTotal = open.owedFen;
  const owners = (household.data?.current ?? []).filter((r) => r.relation === 'owner').map((r) => r.residentName);

  return (
    <>
      {room.data && (
        <Descriptions size="small" column={4} style={{ marginTop: 16 }} data-testid="counter-room" data-room={room.data.label}>
          <Descriptions.Item label={t('billingCash.col.room')}>
            <Typography.Text strong>{room.data.label}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('billingCash.col.community')}>{room.data.communityName}</Descriptions.Item>
          <Descriptions.Item label={t('billingCash.counter.owners')}>{owners.length ? owners.join('、') : <Typography.Text type="secondary">{t('billingCash.counter.noOwner')}</Typography.Text>}</Descriptions.Item>
          <Descriptions.Item label={t('billingCash.col.owed')}>
            <span>
              <Money fen={openTotal} strong type={openTotal > 0 ? 'danger' : undefined} testId="counter-owed" />
              {open.lateFeeFen > 0 && (
                <Typography.Text type="warning" style={{ marginLeft: 6, whiteSpace: 'nowrap' }} data-testid="counter-owed-late-fee">
                  {t('billingCash.lateFee.plus', { amount: formatYuan(open.lateFeeFen) })}
                </Typography.Text>
              )}
            </span>
          </Descriptions.Item>
        </Descriptions>
      )}
      {room.error && <QueryError error={room.error} />}
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('billingCash.counter.openBills')} style={{ marginBottom: 16 }}>
            {bills.error && <QueryError error={bills.error} onRetry={bills.refetch} />}
            {bills.isPending ? <Skeleton active /> : <OpenBills lines={lines} deselected={deselected} onDeselect={setDeselected} waive={waive && tab === 'pay'} onWaiveLine={can('billing.waive') ? setWaiting : undefined} />}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Balances roomId={roomId} hasOpenBills={lines.length > 0} />
          <Card
            size="small"
            tabList={result ? undefined : [
              { key: 'pay', label: t('billingCash.counter.form') },
              { key: 'prepay', label: t('billingCash.prepay.tab') },
            ]}
            activeTabKey={tab}
            onTabChange={(k) => setTab(k as 'pay' | 'prepay')}
            title={result ? t('billingCash.counter.form') : undefined}
            data-testid="counter-form-card"
          >
            {result ? (
              <PayResult payment={result} onNext={onNext} />
            ) : bills.isPending ? (
              <Skeleton active />
            ) : tab === 'prepay' ? (
              <PrepayForm roomId={roomId} communityId={room.data?.communityId} ownerName={owners[0]} onPaid={setResult} />
            ) : (
              <PaymentForm roomId={roomId} selected={selected} openLines={lines} ownerName={owners[0]} canWaive={can('billing.waive')} waive={waive} onWaive={setWaive} onPaid={setResult} />
            )}
          </Card>
          <WaiveLateFeeModal
            line={waiting}
            onClose={() => setWaiting(null)}
            onDone={(fen) => void message.success(t('billingCash.lateFee.waivedDone', { amount: formatYuan(fen) }))}
          />
        </Col>
      </Row>
    </>
  );
}

/** 收银台: find a room, tick its open bills, take cash / POS / transfer, print the receipt. `?roomId=` opens one. */
export default function CounterPage() {
  const { t } = useTranslation();
  const { community } = useCurrentCommunity();
  const [params, setParams] = useSearchParams();
  const roomId = params.get('roomId') ?? undefined;
  const room = useRoom(roomId);
  // A new form (and idempotency key) for every payment, even for the same room.
  const [round, setRound] = useState(0);
  const choose = (id: string | undefined) => {
    setParams(id ? { roomId: id } : {}, { replace: true });
    setRound((r) => r + 1);
  };
  return (
    <>
      <PageHeader
        title={t('billingCash.counter.title')}
        subtitle={t('billingCash.counter.subtitle')}
        extra={
          <Link to="/billing/payments">
            <Button icon={<UnorderedListOutlined />}>{t('billingCash.payments.title')}</Button>
          </Link>
        }
      />
      <Card>
        <RoomFinder communityId={community?.id} value={roomId} valueLabel={room.data?.label} onChange={choose} />
        {roomId ? (
          <CounterDesk key={`${roomId}:${round}`} roomId={roomId} onNext={() => setRound((r) => r + 1)} />
        ) : (
          <Empty style={{ margin: '48px 0' }} description={t('billingCash.counter.pickRoom')} />
        )}
      </Card>
    </>
  );
}
