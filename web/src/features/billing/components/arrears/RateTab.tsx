import { useMemo, useState } from 'react';
import { Alert, Card, Col, DatePicker, Empty, Flex, Progress, Row, Segmented, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../../components/QueryError.tsx';
import { formatYuan } from '../../../../lib/format.ts';
import { EChart, type ChartOption } from '../../../servicedesk/components/EChart.tsx';
import { useCollectionRate, type CollectionRateResult, type CollectionRateRow } from '../../api-arrears.ts';
import { BLUE, GREEN, GroupName, Kpi, Money, pct, RED } from './shared.tsx';

type RateGroupBy = 'community' | 'building' | 'zone' | 'collector';
const ORANGE = '#fa8c16';

/** Below its target: red; no target: the plain colour. */
function rateColor(r: Pick<CollectionRateRow, 'metQuota'>): string {
  return r.metQuota === false ? RED : r.metQuota === true ? GREEN : BLUE;
}

function rateChart(d: CollectionRateResult, t: TFunction, showCommunity: boolean): ChartOption {
  const rows = d.rows.slice(0, 40);
  const label = (r: CollectionRateRow) => (showCommunity && r.name !== r.communityName ? `${r.name}\n${r.communityName}` : r.name);
  const hasTargets = rows.some((r) => r.targetPercent !== null);
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined || v === '-' ? '—' : `${Number(v).toFixed(2)}%`) },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: rows.map(label), axisLabel: { interval: 0, rotate: rows.length > 8 ? 30 : 0, fontSize: 11 } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name: t('billingArrears.rate.rate'),
        type: 'bar',
        barMaxWidth: 40,
        itemStyle: { color: BLUE },
        data: rows.map((r) => ({ value: r.rate ?? 0, itemStyle: { color: rateColor(r) } })),
        label: { show: rows.length <= 12, position: 'top', formatter: (p: { value: unknown }) => `${Number(p.value).toFixed(1)}%` },
      },
      ...(hasTargets
        ? [
            {
              name: t('billingArrears.rate.target'),
              type: 'line' as const,
              step: 'middle' as const,
              symbol: 'none',
              itemStyle: { color: ORANGE },
              lineStyle: { type: 'dashed' as const, width: 2 },
              data: rows.map((r) => (r.targetPercent === null ? null : Number(r.targetPercent))),
            },
          ]
        : []),
    ],
  };
}

/** 收缴率: collected ÷ billed of the bills of a range of months (or the year so far) against the targets. */
export function RateTab({ communityId, asOf }: { communityId: string | undefined; asOf: string }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'ytd' | 'range'>('ytd');
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs(asOf).startOf('year'), dayjs(asOf)]);
  const [groupBy, setGroupBy] = useState<RateGroupBy>('community');
  const q = useCollectionRate(
    mode === 'ytd' ? { communityId, groupBy, ytd: 'true', asOf } : { communityId, groupBy, from: range[0].format('YYYY-MM'), to: range[1].format('YYYY-MM') },
  );
  const d = q.data;
  const showCommunity = !communityId && groupBy !== 'community';
  const option = useMemo(() => (d ? rateChart(d, t, showCommunity) : null), [d, t, showCommunity]);
  const totalsTarget = d && d.rows.length === 1 ? d.rows[0] : null;

  return (
    <div data-testid="arrears-rate">
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        <Segmented
          value={mode}
          onChange={(v) => setMode(v as 'ytd' | 'range')}
          options={[
            { value: 'ytd', label: t('billingArrears.rate.ytd') },
            { value: 'range', label: t('billingArrears.rate.range') },
          ]}
          data-testid="rate-mode"
        />
        {mode === 'range' && (
          <DatePicker.RangePicker picker="month" value={range} allowClear={false} onChange={(r) => r?.[0] && r[1] && setRange([r[0], r[1]])} data-testid="rate-range" />
        )}
        <Segmented
          value={groupBy}
          onChange={(v) => setGroupBy(v as RateGroupBy)}
          options={(['community', 'building', 'zone', 'collector'] as const).map((g) => ({ value: g, label: t(`billingArrears.arrears.groupBy.${g}`) }))}
          data-testid="rate-groupby"
        />
        {d && <Typography.Text type="secondary">{t('billingArrears.rate.period', { from: d.from, to: d.to })}</Typography.Text>}
      </Flex>
      {q.error && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      {d && d.quotaYear === null && <Alert type="info" showIcon title={t('billingArrears.rate.crossYear')} style={{ marginBottom: 12 }} />}
      {d && (
        <>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={12} lg={6}>
              <Kpi title={t('billingArrears.rate.billed')} value={formatYuan(d.totals.billedFen)} suffix={t('billingArrears.common.yuan')} testId="rate-kpi-billed" />
            </Col>
            <Col xs={12} lg={6}>
              <Kpi title={t('billingArrears.rate.paid')} value={formatYuan(d.totals.paidFen)} suffix={t('billingArrears.common.yuan')} testId="rate-kpi-paid" />
            </Col>
            <Col xs={12} lg={6}>
              <Kpi
                title={t('billingArrears.rate.rate')}
                value={pct(d.totals.rate)}
                color={totalsTarget ? rateColor(totalsTarget) : undefined}
                hint={totalsTarget?.targetPercent ? <Typography.Text type="secondary">{t('billingArrears.rate.target')} {totalsTarget.targetPercent}%</Typography.Text> : undefined}
                testId="rate-kpi-rate"
              />
            </Col>
            <Col xs={12} lg={6}>
              <Kpi
                title={t('billingArrears.rate.belowCount')}
                value={`${d.rows.filter((r) => r.metQuota === false).length} / ${d.rows.filter((r) => r.metQuota !== null).length}`}
                color={d.rows.some((r) => r.metQuota === false) ? RED : undefined}
                testId="rate-kpi-below"
              />
            </Col>
          </Row>
          <Card size="small" title={t('billingArrears.rate.vsTarget')} extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('billingArrears.rate.hint')}</Typography.Text>} style={{ marginBottom: 12 }}>
            {d.rows.length === 0 || !option ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingArrears.rate.empty')} style={{ height: 220, paddingTop: 50, margin: 0 }} />
            ) : (
              <EChart option={option} height={300} testId="rate-chart" />
            )}
          </Card>
          <Table<CollectionRateRow>
            size="small"
            rowKey={(r) => `${r.communityId}:${r.kind}:${r.id ?? ''}`}
            dataSource={d.rows}
            loading={q.isFetching}
            pagination={d.rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('billingArrears.rate.empty') }}
            data-testid="rate-table"
            columns={[
              { title: t('billingArrears.arrears.group'), dataIndex: 'name', render: (_: string, r) => <GroupName name={r.name} communityName={r.communityName} showCommunity={showCommunity} /> },
              { title: t('billingArrears.rate.billed'), dataIndex: 'billedFen', align: 'right', render: (v: number) => <Money fen={v} /> },
              { title: t('billingArrears.rate.paid'), dataIndex: 'paidFen', align: 'right', render: (v: number) => <Money fen={v} /> },
              {
                title: t('billingArrears.rate.rate'),
                dataIndex: 'rate',
                sorter: (a, b) => (a.rate ?? -1) - (b.rate ?? -1),
                render: (v: number | null, r) =>
                  v === null ? (
                    '—'
                  ) : (
                    <Flex align="center" gap={8} style={{ minWidth: 220 }}>
                      <Progress percent={v} showInfo={false} size="small" strokeColor={rateColor(r)} style={{ width: 140, margin: 0 }} />
                      <Typography.Text style={{ color: r.metQuota === false ? RED : undefined, fontVariantNumeric: 'tabular-nums' }} data-testid="rate-value">
                        {pct(v)}
                      </Typography.Text>
                    </Flex>
                  ),
              },
              {
                title: t('billingArrears.rate.target'),
                dataIndex: 'targetPercent',
                align: 'right',
                render: (v: string | null, r) =>
                  v === null ? (
                    <Typography.Text type="secondary">{t('billingArrears.rate.noTarget')}</Typography.Text>
                  ) : (
                    <span title={r.quotaSource ? t(`billingArrears.rate.quotaSource.${r.quotaSource}`) : undefined}>{v}%</span>
                  ),
              },
              {
                title: '',
                dataIndex: 'metQuota',
                render: (v: boolean | null) => (v === null ? null : v ? <Tag color="success">{t('billingArrears.rate.met')}</Tag> : <Tag color="error">{t('billingArrears.rate.notMet')}</Tag>),
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
