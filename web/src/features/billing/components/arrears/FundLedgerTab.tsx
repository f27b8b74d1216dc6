import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, Col, DatePicker, Flex, Row, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { FUND_KINDS } from '../../../../../../src/modules/billing/fund-schema.ts';
import { QueryError } from '../../../../components/QueryError.tsx';
import { formatDateTime, formatYuan } from '../../../../lib/format.ts';
import { EChart, type ChartOption } from '../../../servicedesk/components/EChart.tsx';
import { useFundEntries, useFundSummary, type FundEntry, type FundKind, type FundSummary } from '../../api-arrears.ts';
import { FundEntryModal } from './FundEntryModal.tsx';
import { axisMonth, axisYuan, BLUE, chartYuan, GREEN, Kpi, Money, RED, tooltipYuan } from './shared.tsx';

const KIND_COLORS: Record<FundKind, string> = { deposit: 'blue', interest: 'green', spending: 'red', adjustment: 'orange' };
const KIND_CHART: Record<FundKind, string> = { deposit: BLUE, interest: GREEN, spending: RED, adjustment: '#fa8c16' };

/** The year by month: money in above the axis, spending below it, and the balance at each month's end. */
function monthChart(s: FundSummary, t: TFunction, thisMonth: string): ChartOption {
  let balance = s.openingFen;
  // The balance line stops at this month: the months ahead have no balance yet.
  const ends = s.months.map((m) => {
    balance += m.depositFen + m.interestFen - m.spendingFen + m.adjustmentFen;
    return m.month > thisMonth ? null : chartYuan(balance);
  });
  return {
    tooltip: { trigger: 'axis', valueFormatter: tooltipYuan },
    legend: { bottom: 0 },
    grid: { left: 8, right: 8, top: 24, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: s.months.map((m) => axisMonth(m.month)) },
    yAxis: [
      { type: 'value', axisLabel: { formatter: axisYuan } },
      { type: 'value', axisLabel: { formatter: axisYuan }, splitLine: { show: false }, scale: true },
    ],
    series: [
      ...(['deposit', 'interest', 'adjustment'] as const).map((k) => ({
        name: t(`billingArrears.fund.kinds.${k}`),
        type: 'bar' as const,
        stack: 'money',
        barMaxWidth: 32,
        itemStyle: { color: KIND_CHART[k] },
        data: s.months.map((m) => chartYuan(k === 'deposit' ? m.depositFen : k === 'interest' ? m.interestFen : m.adjustmentFen)),
      })),
      { name: t('billingArrears.fund.kinds.spending'), type: 'bar', stack: 'money', barMaxWidth: 32, itemStyle: { color: KIND_CHART.spending }, data: s.months.map((m) => -chartYuan(m.spendingFen)) },
      { name: t('billingArrears.fund.balanceLine'), type: 'line', yAxisIndex: 1, smooth: true, itemStyle: { color: '#722ed1' }, data: ends },
    ],
  };
}

/** 维修资金台账: the balance, the year by month, and every entry with the balance after it. */
export function FundLedgerTab({ communityId, canManage }: { communityId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const [year, setYear] = useState<Dayjs>(() => dayjs().startOf('year'));
  const [kind, setKind] = useState<FundKind | undefined>(undefined);
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [recording, setRecording] = useState(false);
  const summary = useFundSummary({ communityId, year: year.year() });
  const entries = useFundEntries({ communityId, kind, ...page });
  const s = summary.data;
  const option = useMemo(() => (s ? monthChart(s, t, dayjs().format('YYYY-MM')) : null), [s, t]);

  return (
    <div data-testid="fund-ledger">
      {summary.error && <QueryError error={summary.error} onRetry={() => void summary.refetch()} />}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={24} lg={8}>
          <Card size="small" style={{ height: '100%' }} data-testid="fund-balance">
            <Typography.Text type="secondary">{t('billingArrears.fund.balance')}</Typography.Text>
            <div style={{ fontSize: 30, fontWeight: 600, fontVariantNumeric: 'tabular-nums', margin: '4px 0 8px' }}>
              ¥{formatYuan(entries.data?.balanceFen ?? s?.balanceFen ?? 0)}
            </div>
            {s && (
              <Flex gap={16} wrap>
                <Typography.Text type="secondary">
                  {t('billingArrears.fund.opening')} ¥{formatYuan(s.openingFen)}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t('billingArrears.fund.closing')} ¥{formatYuan(s.closingFen)}
                </Typography.Text>
              </Flex>
            )}
            {canManage && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} style={{ marginTop: 12 }} data-testid="fund-record">
                {t('billingArrears.fund.record')}
              </Button>
            )}
          </Card>
        </Col>
        {s &&
          FUND_KINDS.map((k) => (
            <Col xs={12} lg={4} key={k}>
              <Kpi
                title={`${t(`billingArrears.fund.kinds.${k}`)} · ${s.year}`}
                value={`¥${formatYuan(s.totals[`${k}Fen`])}`}
                compact
                color={k === 'spending' && s.totals.spendingFen > 0 ? RED : undefined}
                testId={`fund-total-${k}`}
              />
            </Col>
          ))}
      </Row>
      <Card
        size="small"
        title={t('billingArrears.fund.byMonth', { year: year.year() })}
        extra={<DatePicker picker="year" value={year} allowClear={false} onChange={(d) => d && setYear(d)} disabledDate={(d) => d.isAfter(dayjs(), 'year')} size="small" data-testid="fund-year" />}
        style={{ marginBottom: 12 }}
      >
        {option && <EChart option={option} height={280} testId="fund-chart" />}
      </Card>
      <Flex gap={8} align="center" style={{ marginBottom: 8 }}>
        <Select
          allowClear
          placeholder={t('billingArrears.fund.filterKind')}
          value={kind}
          onChange={(v: FundKind | undefined) => {
            setKind(v);
            setPage((p) => ({ ...p, page: 1 }));
          }}
          options={FUND_KINDS.map((k) => ({ value: k, label: t(`billingArrears.fund.kinds.${k}`) }))}
          style={{ width: 140 }}
          data-testid="fund-kind-filter"
        />
        <Typography.Text type="secondary">{t('billingArrears.fund.appendOnly')}</Typography.Text>
      </Flex>
      {entries.error && <QueryError error={entries.error} onRetry={() => void entries.refetch()} />}
      <Table<FundEntry>
        size="small"
        rowKey="id"
        dataSource={entries.data?.items ?? []}
        loading={entries.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('billingArrears.fund.empty') }}
        data-testid="fund-table"
        pagination={{ current: page.page, pageSize: page.pageSize, total: entries.data?.total ?? 0, showSizeChanger: true, onChange: (p, sz) => setPage({ page: sz === page.pageSize ? p : 1, pageSize: sz }) }}
        columns={[
          { title: t('billingArrears.fund.occurredOn'), dataIndex: 'occurredOn', width: 110 },
          { title: t('billingArrears.fund.kind'), dataIndex: 'kind', render: (k: FundKind) => <Tag color={KIND_COLORS[k]}>{t(`billingArrears.fund.kinds.${k}`)}</Tag> },
          { title: t('billingArrears.fund.description'), dataIndex: 'description', render: (v: string) => <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 280 }}>{v}</Typography.Text> },
          {
            title: t('billingArrears.fund.ticket'),
            dataIndex: 'ticket',
            render: (tk: FundEntry['ticket']) =>
              tk ? (
                <Link to={`/tickets/${tk.id}`} title={tk.title}>
                  {tk.no}
                </Link>
              ) : (
                '—'
              ),
          },
          { title: t('billingArrears.fund.voucherNo'), dataIndex: 'voucherNo', render: (v: string | null) => v ?? '—' },
          {
            title: t('billingArrears.fund.amountSigned'),
            dataIndex: 'amountFen',
            align: 'right',
            render: (v: number) => (
              <Typography.Text type={v < 0 ? 'danger' : 'success'} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                {v > 0 ? '+' : ''}
                {formatYuan(v)}
              </Typography.Text>
            ),
          },
          { title: t('billingArrears.fund.balanceAfter'), dataIndex: 'balanceAfterFen', align: 'right', render: (v: number) => <Money fen={v} strong /> },
          { title: t('billingArrears.fund.recordedBy'), dataIndex: 'createdBy', render: (v: string | null) => v ?? '—' },
          { title: t('billingArrears.fund.recordedAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
        ]}
      />
      <FundEntryModal open={recording} communityId={communityId} onClose={() => setRecording(false)} />
    </div>
  );
}
