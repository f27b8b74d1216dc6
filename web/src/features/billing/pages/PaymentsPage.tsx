import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, DatePicker, Flex, Input, Select, Table, Typography } from 'antd';
import { DollarOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { PAYMENT_METHODS, PAYMENT_STATUSES } from '../../../../../src/modules/billing/payment-schema.ts';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDate, formatYuan } from '../../../lib/format.ts';
import { useAbilities, useCurrentMe } from '../../auth/api.ts';
import { usePayments, type PaymentQuery, type PaymentSummary } from '../api-cash.ts';
import { MethodTag, Money, PaymentStatusTag, mono } from '../components/cash/labels.tsx';

type Filters = Omit<PaymentQuery, 'page' | 'pageSize' | 'communityId'>;

/** 收款记录: every payment of the header's community (or all), filtered by business date, method, channel, collector. */
export default function PaymentsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const can = useAbilities();
  const me = useCurrentMe();
  const { community } = useCurrentCommunity();
  const [filters, setFilters] = useState<Filters>({});
  const [search, setSearch] = useState('');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const list = usePayments({ ...filters, ...paging, communityId: community?.id });
  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [community?.id]);

  // There is no list of collectors to ask for: the ones met in the results so far (and "me") make the choices.
  const [collectors, setCollectors] = useState<Map<string, string>>(() => new Map());
  useEffect(() => {
    const found = (list.data?.items ?? []).filter((p) => p.collectorId && p.collectorName && !collectors.has(p.collectorId));
    if (found.length) setCollectors((m) => new Map([...m, ...found.map((p) => [p.collectorId!, p.collectorName!] as const)]));
  }, [list.data, collectors]);
  const collectorOptions = useMemo(
    () => [
      ...(can('billing.collect') ? [{ value: me.user.id, label: `${t('billingCash.me')}（${me.user.displayName}）` }] : []),
      ...[...collectors].filter(([id]) => id !== me.user.id).map(([value, label]) => ({ value, label })),
    ],
    [collectors, me.user, can, t],
  );

  const patch = (p: Partial<Filters>) => {
    setFilters((f) => Object.fromEntries(Object.entries({ ...f, ...p }).filter(([, v]) => v !== undefined && v !== '')) as Filters);
    setPaging((x) => ({ ...x, page: 1 }));
  };
  const items = list.data?.items ?? [];
  const succeeded = items.filter((p) => p.status === 'succeeded');
  const pageFen = succeeded.reduce((s, p) => s + p.amountFen, 0);
  const pageRefunded = items.reduce((s, p) => s + p.refundedFen, 0);

  return (
    <>
      <PageHeader
        title={t('billingCash.payments.title')}
        subtitle={t('billingCash.payments.subtitle')}
        extra={
          can('billing.collect') && (
            <Link to="/billing/counter">
              <Button type="primary" icon={<DollarOutlined />}>
                {t('billingCash.counter.title')}
              </Button>
            </Link>
          )
        }
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <DatePicker.RangePicker
            value={filters.from && filters.to ? [dayjs(filters.from), dayjs(filters.to)] : null}
            onChange={(r) => patch({ from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') })}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            placeholder={[t('billingCash.payments.from'), t('billingCash.payments.to')]}
            data-testid="payments-filter-dates"
          />
          <Select
            allowClear
            placeholder={t('billingCash.payments.allMethods')}
            value={filters.method}
            onChange={(method) => patch({ method })}
            style={{ width: 130 }}
            options={PAYMENT_METHODS.filter((m) => m !== 'sandbox').map((m) => ({ value: m, label: t(`billingCash.methods.${m}`) }))}
            data-testid="payments-filter-method"
          />
          <Select
            allowClear
            placeholder={t('billingCash.payments.allChannels')}
            value={filters.channel}
            onChange={(channel) => patch({ channel })}
            style={{ width: 130 }}
            options={(['counter', 'owner'] as const).map((c) => ({ value: c, label: t(`billingCash.channels.${c}`) }))}
            data-testid="payments-filter-channel"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('billingCash.payments.allCollectors')}
            value={filters.collectorId}
            onChange={(collectorId) => patch({ collectorId })}
            style={{ width: 160 }}
            options={collectorOptions}
            data-testid="payments-filter-collector"
          />
          <Select
            allowClear
            placeholder={t('billingCash.payments.allStatuses')}
            value={filters.status}
            onChange={(status) => patch({ status })}
            style={{ width: 120 }}
            options={PAYMENT_STATUSES.map((s) => ({ value: s, label: t(`billingCash.paymentStatuses.${s}`) }))}
            data-testid="payments-filter-status"
          />
          <Input.Search
            allowClear
            placeholder={t('billingCash.payments.search')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => patch({ q: v.trim().slice(0, 60) || undefined })}
            style={{ width: 300 }}
            data-testid="payments-filter-q"
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              setSearch('');
              setFilters({});
              setPaging((x) => ({ ...x, page: 1 }));
            }}
          >
            {t('common.reset')}
          </Button>
        </Flex>
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<PaymentSummary>
          rowKey="id"
          size="middle"
          loading={list.isFetching && !list.data}
          dataSource={items}
          scroll={{ x: 'max-content' }}
          data-testid="payments-table"
          locale={{ emptyText: t('billingCash.payments.empty') }}
          onRow={(r) => ({ 'data-testid': 'payment-row', 'data-trade': r.tradeNo, onClick: () => navigate(`/billing/payments/${r.id}`), style: { cursor: 'pointer' } }) as HTMLAttributes<HTMLElement>}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setPaging({ page, pageSize }),
          }}
          columns={[
            {
              title: t('billingCash.col.paidAt'),
              key: 'at',
              render: (_: unknown, r) => (
                <Flex vertical>
                  <span style={{ whiteSpace: 'nowrap' }}>{r.businessDate ?? formatDate(r.createdAt)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {dayjs(r.paidAt ?? r.createdAt).format('HH:mm:ss')}
                  </Typography.Text>
                </Flex>
              ),
            },
            {
              title: t('billingCash.col.tradeNo'),
              dataIndex: 'tradeNo',
              render: (v: string, r) => (
                <Flex vertical>
                  <Link to={`/billing/payments/${r.id}`} onClick={(e) => e.stopPropagation()} style={{ ...mono, fontSize: 12 }}>
                    {v}
                  </Link>
                  {r.receiptNo && (
                    <Typography.Text type="secondary" style={{ ...mono, fontSize: 12 }}>
                      {r.receiptNo}
                    </Typography.Text>
                  )}
                </Flex>
              ),
            },
            {
              title: t('billingCash.col.room'),
              dataIndex: 'roomLabel',
              render: (v: string | null, r) => (
                <Flex vertical>
                  <span style={{ whiteSpace: 'nowrap' }}>{v ?? '—'}</span>
                  {!community && me.communities.length > 1 && (
                    <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                      {r.communityName}
                    </Typography.Text>
                  )}
                </Flex>
              ),
            },
            { title: t('billingCash.col.money'), dataIndex: 'amountFen', align: 'right' as const, render: (v: number, r) => <Money fen={v} strong={r.status === 'succeeded'} type={r.status === 'succeeded' ? undefined : 'secondary'} /> },
            { title: t('billingCash.col.refunded'), dataIndex: 'refundedFen', align: 'right' as const, render: (v: number) => (v ? <Money fen={v} type="danger" /> : <Typography.Text type="secondary">—</Typography.Text>) },
            { title: t('billingCash.col.method'), dataIndex: 'method', render: (m: PaymentSummary['method']) => <MethodTag method={m} /> },
            { title: t('billingCash.col.payer'), dataIndex: 'payerName', render: (v: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{v ?? '—'}</span> },
            { title: t('billingCash.col.collector'), dataIndex: 'collectorName', render: (v: string | null, r) => <span style={{ whiteSpace: 'nowrap' }}>{v ?? t(`billingCash.channels.${r.channel}`)}</span> },
            { title: t('billingCash.col.status'), dataIndex: 'status', render: (s: PaymentSummary['status']) => <PaymentStatusTag status={s} /> },
          ]}
          footer={
            items.length
              ? () => (
                  <Typography.Text data-testid="payments-page-totals">
                    {t('billingCash.payments.pageTotals', { count: succeeded.length, amount: formatYuan(pageFen), refunded: formatYuan(pageRefunded) })}
                  </Typography.Text>
                )
              : undefined
          }
        />
      </Card>
    </>
  );
}
