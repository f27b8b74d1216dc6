import { useMemo, type HTMLAttributes } from 'react';
import { Card, Col, Empty, Row, Segmented, Table, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../../components/QueryError.tsx';
import { formatYuan } from '../../../../lib/format.ts';
import { EChart, type ChartOption } from '../../../servicedesk/components/EChart.tsx';
import { useArrearsSummary, type ArrearsGroup, type ArrearsSummary } from '../../api-arrears.ts';
import { axisYuan, BUCKETS, chartYuan, GroupName, Kpi, Money, RED, tooltipYuan } from './shared.tsx';

export type SummaryGroupBy = 'community' | 'building' | 'zone';

/** The chart shows the groups owing most; a company-wide building list would not fit on one axis. */
const CHART_GROUPS = 20;

function agingChart(s: ArrearsSummary, t: TFunction, showCommunity: boolean): ChartOption {
  const rows = [...s.rows].sort((a, b) => b.owedFen - a.owedFen).slice(0, CHART_GROUPS);
  const label = (r: ArrearsGroup) => (showCommunity && r.name !== r.communityName ? `${r.name}\n${r.communityName}` : r.name);
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: tooltipYuan,
    },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: rows.map(label), axisLabel: { interval: 0, rotate: rows.length > 8 ? 30 : 0, fontSize: 11 } },
    yAxis: { type: 'value', axisLabel: { formatter: axisYuan } },
    series: BUCKETS.map((b) => ({
      name: t(`billingArrears.buckets.${b.key}`),
      type: 'bar' as const,
      stack: 'owed',
      barMaxWidth: 40,
      itemStyle: { color: b.color },
      data: rows.map((r) => chartYuan(r.buckets[b.key])),
    })),
  };
}

/** 欠费概况: owed by community, building or zone with the aging buckets as columns and a stacked bar; a row drills down. */
export function SummaryTab({
  communityId,
  asOf,
  groupBy,
  onGroupBy,
  onDrill,
}: {
  communityId: string | undefined;
  asOf: string;
  groupBy: SummaryGroupBy;
  onGroupBy: (g: SummaryGroupBy) => void;
  onDrill: (row: ArrearsGroup) => void;
}) {
  const { t } = useTranslation();
  const q = useArrearsSummary({ communityId, groupBy, asOf });
  const s = q.data;
  const showCommunity = !communityId && groupBy !== 'community';
  const option = useMemo(() => (s ? agingChart(s, t, showCommunity) : null), [s, t, showCommunity]);

  return (
    <div data-testid="arrears-summary">
      <Segmented
        value={groupBy}
        onChange={(v) => onGroupBy(v as SummaryGroupBy)}
        options={(['community', 'building', 'zone'] as const).map((g) => ({ value: g, label: t(`billingArrears.arrears.groupBy.${g}`) }))}
        style={{ marginBottom: 12 }}
        data-testid="arrears-groupby"
      />
      {q.error && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      {s && (
        <>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={12} lg={6}>
              <Kpi title={t('billingArrears.arrears.owed')} value={formatYuan(s.totals.owedFen)} suffix={t('billingArrears.common.yuan')} color={s.totals.owedFen > 0 ? RED : undefined} testId="arrears-kpi-owed" />
            </Col>
            <Col xs={12} lg={6}>
              <Kpi title={t('billingArrears.arrears.roomsCount')} value={s.totals.rooms} testId="arrears-kpi-rooms" />
            </Col>
            <Col xs={12} lg={6}>
              <Kpi title={t('billingArrears.arrears.lines')} value={s.totals.lines} testId="arrears-kpi-lines" />
            </Col>
            <Col xs={12} lg={6}>
              <Kpi title={t('billingArrears.arrears.over1y')} value={formatYuan(s.totals.buckets.over365)} suffix={t('billingArrears.common.yuan')} testId="arrears-kpi-over1y" />
            </Col>
          </Row>
          <Card size="small" title={t('billingArrears.arrears.byAging')} style={{ marginBottom: 12 }}>
            {s.rows.length === 0 || !option ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingArrears.arrears.empty')} style={{ height: 220, paddingTop: 50, margin: 0 }} />
            ) : (
              <EChart option={option} height={300} testId="arrears-chart" />
            )}
          </Card>
          <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
            {t('billingArrears.arrears.drillHint')}
          </Typography.Text>
          <Table<ArrearsGroup>
            size="small"
            rowKey={(r) => `${r.communityId}:${r.kind}:${r.id ?? ''}`}
            dataSource={s.rows}
            loading={q.isFetching}
            pagination={s.rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingArrears.arrears.empty')} /> }}
            // Parking spaces are not rooms: their group has nothing to drill into.
            onRow={(r) => ({ 'data-testid': 'arrears-summary-row', ...(r.kind === 'parking' ? {} : { onClick: () => onDrill(r), style: { cursor: 'pointer' } }) }) as HTMLAttributes<HTMLTableRowElement>}
            data-testid="arrears-summary-table"
            columns={[
              { title: t('billingArrears.arrears.group'), dataIndex: 'name', fixed: 'left', render: (_: string, r) => <GroupName name={r.name} communityName={r.communityName} showCommunity={showCommunity} /> },
              { title: t('billingArrears.arrears.owed'), dataIndex: 'owedFen', align: 'right', sorter: (a, b) => a.owedFen - b.owedFen, render: (v: number) => <Money fen={v} strong /> },
              { title: t('billingArrears.arrears.roomsCount'), dataIndex: 'rooms', align: 'right', sorter: (a, b) => a.rooms - b.rooms },
              { title: t('billingArrears.arrears.lines'), dataIndex: 'lines', align: 'right' },
              ...BUCKETS.map((b) => ({
                key: b.key,
                title: (
                  <span style={{ whiteSpace: 'nowrap' }}>
                    <span style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 2, background: b.color, marginRight: 6 }} />
                    {t(`billingArrears.buckets.${b.key}`)}
                  </span>
                ),
                align: 'right' as const,
                sorter: (x: ArrearsGroup, y: ArrearsGroup) => x.buckets[b.key] - y.buckets[b.key],
                render: (_: unknown, r: ArrearsGroup) => (r.buckets[b.key] ? <Money fen={r.buckets[b.key]} /> : <Typography.Text type="secondary">0.00</Typography.Text>),
              })),
            ]}
            summary={() =>
              s.rows.length > 1 ? (
                <Table.Summary fixed>
                  <Table.Summary.Row style={{ fontWeight: 600 }}>
                    <Table.Summary.Cell index={0}>{t('billingArrears.common.total')}</Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right"><Money fen={s.totals.owedFen} strong /></Table.Summary.Cell>
                    <Table.Summary.Cell index={2} align="right">{s.totals.rooms}</Table.Summary.Cell>
                    <Table.Summary.Cell index={3} align="right">{s.totals.lines}</Table.Summary.Cell>
                    {BUCKETS.map((b, i) => (
                      <Table.Summary.Cell key={b.key} index={4 + i} align="right"><Money fen={s.totals.buckets[b.key]} /></Table.Summary.Cell>
                    ))}
                  </Table.Summary.Row>
                </Table.Summary>
              ) : null
            }
          />
        </>
      )}
    </div>
  );
}
