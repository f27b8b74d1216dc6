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
import { Money, overdueDays } from '../components/cash/labels.tsx';
import { PaymentForm } from '../components/cash/PaymentForm.tsx';
import { PayResult } from '../components/cash/PayResult.tsx';
import { RoomFinder } from '../components/cash/RoomFinder.tsx';

/** Oldest due first, then the period: the order arrears are paid off in (the server's `byAge`). */
function byAge(a: BillLine, b: BillLine): number {
  return a.dueDate.localeCompare(b.dueDate) || a.periodStart.localeCompare(b.periodStart) || a.id.localeCompare(b.id);
}

function OpenBills({ lines, deselected, onDeselect }: { lines: BillLine[]; deselected: Set<string>; onDeselect: (ids: Set<string>) => void }) {
  const { t } = useTranslation();
  const selected = lines.filter((l) => !deselected.has(l.id));
  const selectedFen = selected.reduce((s, l) => s + l.amountFen - l.paidFen, 0);
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
              <span style={{ whiteSpace: 'nowrap' }}>{v}</span>
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
              <Table.Summary.Cell index={0} colSpan={5}>
                <Typography.Text type="secondary">{t('billingCash.counter.selected', { count: selected.length })}</Typography.Text>{' '}
                <Money fen={selectedFen} strong testId="counter-selected-total" />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} colSpan={3}>
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

/** One room at the counter: its open bills (all ticked, oldest first), balances, and the payment form or its result. */
function CounterDesk({ roomId, onNext }: { roomId: string; onNext: () => void }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const room = useRoom(roomId);
  const household = useRoomHousehold(can('resident.read') ? roomId : undefined);
  const bills = useOpenBills(roomId);
  const [deselected, setDeselected] = useState<Set<string>>(new Set());
  const [result, setResult] = useState<PaymentDetail | null>(null);
  const lines = useMemo(() => [...(bills.data ?? [])].sort(byAge), [bills.data]);
  const selected = lines.filter((l) => !deselected.has(l.id));
  const openTotal = lines.reduce((s, l) => s + l.amountFen - l.paidFen, 0);
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
            <Money fen={openTotal} strong type={openTotal > 0 ? 'danger' : undefined} testId="counter-owed" />
          </Descriptions.Item>
        </Descriptions>
      )}
      {room.error && <QueryError error={room.error} />}
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('billingCash.counter.openBills')} style={{ marginBottom: 16 }}>
            {bills.error && <QueryError error={bills.error} onRetry={bills.refetch} />}
            {bills.isPending ? <Skeleton active /> : <OpenBills lines={lines} deselected={deselected} onDeselect={setDeselected} />}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Balances roomId={roomId} hasOpenBills={lines.length > 0} />
          <Card size="small" title={t('billingCash.counter.form')}>
            {result ? (
              <PayResult payment={result} onNext={onNext} />
            ) : bills.isPending ? (
              <Skeleton active />
            ) : (
              <PaymentForm roomId={roomId} selected={selected} openTotalFen={openTotal} ownerName={owners[0]} onPaid={setResult} />
            )}
          </Card>
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
