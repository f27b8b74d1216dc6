import { useMemo, useState, type HTMLAttributes, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Flex, Modal, Row, Select, Statistic, Table, Tag, Typography } from 'antd';
import { AuditOutlined, DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime, formatYuan } from '../../../lib/format.ts';
import { useAbilities, useCurrentMe } from '../../auth/api.ts';
import { downloadDailyReport, useCloseDay, useDailyReport, type CashierClosing, type DailyReport, type PaymentSummary } from '../api-cash.ts';
import { METHOD_HEX, MethodTag, Money, mono } from '../components/cash/labels.tsx';
import { PieChart } from '../components/cash/PieChart.tsx';

type MethodRow = DailyReport['byMethod'][number];
type CollectorRow = DailyReport['byCollector'][number];

function Figure({ title, fen, sub, color, testId }: { title: string; fen: number; sub?: ReactNode; color?: string; testId: string }) {
  return (
    <Card size="small" style={{ height: '100%' }} data-testid={testId} data-fen={fen}>
      <Statistic title={title} value={formatYuan(fen)} prefix="¥" styles={{ content: { color, fontVariantNumeric: 'tabular-nums' } }} />
      {sub && <Typography.Text type="secondary">{sub}</Typography.Text>}
    </Card>
  );
}

/** Amounts by method, one per line. */
function MethodBreakdown({ rows }: { rows: ReadonlyArray<{ method: MethodRow['method']; amountFen: number }> }) {
  return (
    <Flex vertical gap={2}>
      {rows.map((m) => (
        <Flex key={m.method} justify="space-between" gap={8} style={{ minWidth: 150 }}>
          <MethodTag method={m.method} />
          <Money fen={m.amountFen} />
        </Flex>
      ))}
    </Flex>
  );
}

function Closings({ closings }: { closings: CashierClosing[] }) {
  const { t } = useTranslation();
  if (!closings.length) return <Typography.Text type="secondary">{t('billingCash.daily.noClosing')}</Typography.Text>;
  return (
    <Table<CashierClosing>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={closings}
      data-testid="daily-closings"
      onRow={(c) => ({ 'data-testid': 'daily-closing', 'data-changed': String(c.changedSinceClose) }) as HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('billingCash.col.collector'), dataIndex: 'collectorName', render: (v: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{v ?? '—'}</span> },
        { title: t('billingCash.daily.handed'), dataIndex: 'totalFen', align: 'right', render: (v: number, c) => (
          <Flex vertical align="flex-end">
            <Money fen={v} strong />
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {t('billingCash.daily.count', { count: c.paymentCount })}
            </Typography.Text>
          </Flex>
        ),
      },
        {
          title: t('billingCash.col.method'),
          dataIndex: 'byMethod',
          render: (rows: CashierClosing['byMethod']) => <MethodBreakdown rows={rows} />,
        },
        { title: t('billingCash.daily.closedAt'), dataIndex: 'closedAt', render: (v: string, c) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}{c.closedBy && c.closedBy !== c.collectorName ? ` · ${c.closedBy}` : ''}</span> },
        {
          title: t('billingCash.daily.current'),
          key: 'current',
          render: (_: unknown, c) =>
            c.changedSinceClose ? (
              <Alert
                type="warning"
                showIcon
                style={{ padding: '2px 8px' }}
                title={t('billingCash.daily.changed', { current: formatYuan(c.currentFen), count: c.currentCount, total: formatYuan(c.totalFen) })}
                data-testid="daily-closing-changed"
              />
            ) : (
              <Tag color="success">{t('billingCash.daily.unchanged')}</Tag>
            ),
        },
      ]}
    />
  );
}

/** 收款日报: a community's takings of a business date by method and collector, refunds, net, the hand-overs (交账). */
export default function DailyReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const can = useAbilities();
  const me = useCurrentMe();
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [date, setDate] = useState<string | undefined>(undefined);
  const [collectorId, setCollectorId] = useState<string | undefined>(undefined);
  const [exporting, setExporting] = useState(false);
  const manager = can('billing.manage');
  const q = { communityId: communityId ?? '', date, collectorId: manager ? collectorId : undefined };
  const report = useDailyReport(q);
  const close = useCloseDay();
  const r = report.data;
  const shownDate = r?.date ?? date ?? dayjs().format('YYYY-MM-DD');

  const pie = useMemo(() => (r?.byMethod ?? []).filter((m) => m.amountFen > 0).map((m) => ({ name: t(`billingCash.methods.${m.method}`), fen: m.amountFen, color: METHOD_HEX[m.method] })), [r, t]);
  const mine = r?.byCollector.find((c) => c.channel === 'counter' && c.collectorId === me.user.id);
  const myClosing = r?.closings.find((c) => c.collectorId === me.user.id);
  const collectors = (r?.byCollector ?? []).filter((c) => c.collectorId);

  const confirmClose = () => {
    if (!r) return;
    Modal.confirm({
      title: t('billingCash.daily.close'),
      content: (
        <>
          <Typography.Paragraph>{t('billingCash.daily.closeConfirm', { date: r.date, community: r.communityName })}</Typography.Paragraph>
          <Typography.Text strong>
            ¥{formatYuan(mine?.amountFen ?? 0)} · {t('billingCash.daily.count', { count: mine?.count ?? 0 })}
          </Typography.Text>
        </>
      ),
      okText: t('billingCash.daily.close'),
      okButtonProps: { 'data-testid': 'daily-close-confirm' },
      onOk: () =>
        close
          .mutateAsync({ communityId: r.communityId, date: r.date })
          .then((c) => void message.success(t('billingCash.daily.closed', { amount: formatYuan(c.totalFen), count: c.paymentCount })))
          .catch((e: Error) => void message.error(e.message)),
    });
  };

  return (
    <>
      <PageHeader
        title={t('billingCash.daily.title')}
        subtitle={t('billingCash.daily.subtitle')}
        extra={
          <>
            {!fromHeader && <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} testId="daily-community" />}
            <DatePicker
              value={dayjs(shownDate)}
              onChange={(d) => setDate(d ? d.format('YYYY-MM-DD') : undefined)}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              allowClear={false}
              data-testid="daily-date"
            />
            {manager && (
              <Select
                allowClear
                placeholder={t('billingCash.payments.allCollectors')}
                value={collectorId}
                onChange={setCollectorId}
                style={{ width: 150 }}
                options={collectors.map((c) => ({ value: c.collectorId!, label: c.name }))}
                data-testid="daily-collector"
              />
            )}
            <Button
              icon={<DownloadOutlined />}
              loading={exporting}
              disabled={!communityId}
              onClick={() => {
                setExporting(true);
                downloadDailyReport({ ...q, date: shownDate })
                  .then((name) => void message.success(t('billingCash.daily.exported', { name })))
                  .catch((e: Error) => void message.error(e.message))
                  .finally(() => setExporting(false));
              }}
              data-testid="daily-export"
            >
              {t('billingCash.daily.export')}
            </Button>
            {can('billing.collect') && (
              <Button type="primary" icon={<AuditOutlined />} disabled={!r || Boolean(myClosing)} loading={close.isPending} onClick={confirmClose} data-testid="daily-close">
                {myClosing ? t('billingCash.daily.closedShort') : t('billingCash.daily.close')}
              </Button>
            )}
          </>
        }
      />
      {report.error && <QueryError error={report.error} onRetry={() => void report.refetch()} />}
      {r && r.collectorId === me.user.id && !manager && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('billingCash.daily.onlyMine')} />}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8}>
          <Figure title={t('billingCash.daily.total')} fen={r?.totals.amountFen ?? 0} sub={t('billingCash.daily.count', { count: r?.totals.count ?? 0 })} testId="daily-total" />
        </Col>
        <Col xs={24} md={8}>
          <Figure title={t('billingCash.daily.refunds')} fen={r?.refunds.amountFen ?? 0} sub={t('billingCash.daily.count', { count: r?.refunds.count ?? 0 })} color={r?.refunds.amountFen ? '#cf1322' : undefined} testId="daily-refunds" />
        </Col>
        <Col xs={24} md={8}>
          <Figure title={t('billingCash.daily.net')} fen={r?.netFen ?? 0} color="#389e0d" testId="daily-net" />
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('billingCash.daily.byMethod')} style={{ height: '100%' }} loading={report.isPending && Boolean(communityId)}>
            {r && r.byMethod.length ? (
              <>
                <PieChart data={pie} height={180} testId="daily-method-pie" />
                <Table<MethodRow>
                  rowKey="method"
                  size="small"
                  pagination={false}
                  dataSource={r.byMethod}
                  data-testid="daily-by-method"
                  columns={[
                    { title: t('billingCash.col.method'), dataIndex: 'method', render: (m: MethodRow['method']) => <MethodTag method={m} /> },
                    { title: t('billingCash.col.count'), dataIndex: 'count', align: 'right' },
                    { title: t('billingCash.col.money'), dataIndex: 'amountFen', align: 'right', render: (v: number) => <Money fen={v} /> },
                    { title: t('billingCash.col.refund'), key: 'refund', align: 'right', render: (_: unknown, m) => { const f = r.refunds.byMethod.find((x) => x.method === m.method); return f ? <Money fen={f.amountFen} type="danger" /> : '—'; } },
                  ]}
                />
              </>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingCash.daily.noPayments')} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('billingCash.daily.byCollector')} style={{ height: '100%' }} loading={report.isPending && Boolean(communityId)}>
            <Table<CollectorRow>
              rowKey={(c) => c.collectorId ?? 'online'}
              size="small"
              pagination={false}
              dataSource={r?.byCollector}
              scroll={{ x: 'max-content' }}
              data-testid="daily-by-collector"
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingCash.daily.noPayments')} /> }}
              columns={[
                { title: t('billingCash.col.collector'), dataIndex: 'name', render: (v: string, c) => (c.channel === 'online' ? <Tag color="green">{t('billingCash.channels.online')}</Tag> : <span style={{ whiteSpace: 'nowrap' }}>{v}</span>) },
                { title: t('billingCash.col.count'), dataIndex: 'count', align: 'right' },
                {
                  title: t('billingCash.col.method'),
                  dataIndex: 'byMethod',
                  render: (rows: CollectorRow['byMethod']) => <MethodBreakdown rows={rows} />,
                },
                { title: t('billingCash.col.money'), dataIndex: 'amountFen', align: 'right', render: (v: number) => <Money fen={v} /> },
                { title: t('billingCash.col.refund'), dataIndex: 'refundFen', align: 'right', render: (v: number) => (v ? <Money fen={v} type="danger" /> : '—') },
                { title: t('billingCash.col.net'), dataIndex: 'netFen', align: 'right', render: (v: number) => <Money fen={v} strong /> },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('billingCash.daily.closings')} style={{ marginBottom: 16 }} data-testid="daily-closings-card">
        {r ? <Closings closings={r.closings} /> : null}
      </Card>
      <Card size="small" title={t('billingCash.daily.payments')}>
        <Table<PaymentSummary>
          rowKey="id"
          size="small"
          loading={report.isFetching && !r}
          dataSource={r?.payments}
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="daily-payments"
          locale={{ emptyText: t('billingCash.daily.noPayments') }}
          onRow={(p) => ({ onClick: () => navigate(`/billing/payments/${p.id}`), style: { cursor: 'pointer' } }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('billingCash.col.paidAt'), dataIndex: 'paidAt', render: (v: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{v ? dayjs(v).format('HH:mm:ss') : '—'}</span> },
            {
              title: t('billingCash.col.tradeNo'),
              dataIndex: 'tradeNo',
              render: (v: string, p) => (
                <Link to={`/billing/payments/${p.id}`} onClick={(e) => e.stopPropagation()} style={mono}>
                  {v}
                </Link>
              ),
            },
            { title: t('billingCash.col.receiptNo'), dataIndex: 'receiptNo', render: (v: string | null) => <span style={mono}>{v ?? '—'}</span> },
            { title: t('billingCash.col.room'), dataIndex: 'roomLabel', render: (v: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{v ?? '—'}</span> },
            { title: t('billingCash.col.method'), dataIndex: 'method', render: (m: PaymentSummary['method']) => <MethodTag method={m} /> },
            { title: t('billingCash.col.money'), dataIndex: 'amountFen', align: 'right' as const, render: (v: number) => <Money fen={v} /> },
            { title: t('billingCash.col.refunded'), dataIndex: 'refundedFen', align: 'right' as const, render: (v: number) => (v ? <Money fen={v} type="danger" /> : '—') },
            { title: t('billingCash.col.payer'), dataIndex: 'payerName', render: (v: string | null) => v ?? '—' },
            { title: t('billingCash.col.collector'), dataIndex: 'collectorName', render: (v: string | null, p) => v ?? t(`billingCash.channels.${p.channel}`) },
          ]}
        />
      </Card>
    </>
  );
}
