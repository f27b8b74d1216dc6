import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Col, DatePicker, Empty, Flex, Progress, Row, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { CommunitySelect } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { download } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useDashboard, type Dashboard } from '../dashboard-api.ts';
import { EChart, type ChartOption } from '../components/EChart.tsx';

const GREEN = '#52c41a';
const ORANGE = '#fa8c16';
const RED = '#f5222d';
const BLUE = '#1677ff';

/** The ISO week (2026-W47) a day belongs to: the week of its Thursday. */
export function isoWeekOf(d: Dayjs): string {
  const thursday = d.add(3 - ((d.day() + 6) % 7), 'day');
  const jan1 = thursday.startOf('year');
  const week = Math.floor(thursday.diff(jan1, 'day') / 7) + 1;
  return `${thursday.year()}-W${String(week).padStart(2, '0')}`;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(1)}%`);

/** Overall on-time rate over every clock with an outcome. */
function overallOnTime(d: Dashboard): number | null {
  let met = 0;
  let total = 0;
  for (const c of d.onTime) {
    met += c.met;
    total += c.met + c.metLate + c.overdue;
  }
  return total ? Math.round((met / total) * 1000) / 10 : null;
}

function Kpi({ title, value, suffix, target, good, testId, hint }: { title: string; value: ReactNode; suffix?: string; target?: number; good?: boolean; testId: string; hint?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Card size="small" style={{ height: '100%' }} data-testid={testId}>
      <Statistic title={title} value={value as string} suffix={suffix} styles={{ content: { color: good === undefined ? undefined : good ? GREEN : RED } }} />
      {target !== undefined && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('servicedesk.dashboard.target', { target })}
        </Typography.Text>
      )}
      {hint && <div style={{ fontSize: 12 }}>{hint}</div>}
    </Card>
  );
}

function ChartCard({ title, children, empty }: { title: string; children: ReactNode; empty: boolean }) {
  return (
    <Card size="small" title={title} style={{ height: '100%' }}>
      {empty ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} style={{ height: 248, paddingTop: 60, margin: 0 }} /> : children}
    </Card>
  );
}

function charts(d: Dashboard, t: TFunction) {
  const rateAxis = { type: 'value' as const, min: 0, max: 100, axisLabel: { formatter: '{value}%' } };
  const tooltip = { trigger: 'axis' as const };
  const byClock: ChartOption = {
    tooltip,
    legend: { bottom: 0 },
    grid: { left: 40, right: 40, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: d.onTime.map((c) => t(`servicedesk.clocks.${c.clock}`)) },
    yAxis: [{ type: 'value', minInterval: 1 }, rateAxis],
    series: [
      { name: t('servicedesk.clockStates.met'), type: 'bar', stack: 'n', barMaxWidth: 48, data: d.onTime.map((c) => c.met), itemStyle: { color: GREEN } },
      { name: t('servicedesk.clockStates.metLate'), type: 'bar', stack: 'n', barMaxWidth: 48, data: d.onTime.map((c) => c.metLate), itemStyle: { color: ORANGE } },
      { name: t('servicedesk.clockStates.overdue'), type: 'bar', stack: 'n', barMaxWidth: 48, data: d.onTime.map((c) => c.overdue), itemStyle: { color: RED } },
      { name: t('servicedesk.dashboard.onTimeRate'), type: 'line', yAxisIndex: 1, data: d.onTime.map((c) => c.rate), itemStyle: { color: BLUE } },
    ],
  };
  const byMonth: ChartOption = {
    tooltip,
    legend: { bottom: 0 },
    grid: { left: 40, right: 40, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: d.byMonth.map((m) => m.month) },
    yAxis: [{ type: 'value', minInterval: 1 }, rateAxis],
    series: [
      { name: t('servicedesk.dashboard.created'), type: 'line', smooth: true, data: d.byMonth.map((m) => m.created), itemStyle: { color: BLUE } },
      { name: t('servicedesk.dashboard.completed'), type: 'line', smooth: true, data: d.byMonth.map((m) => m.completed), itemStyle: { color: GREEN } },
      { name: t('servicedesk.dashboard.onTimeRate'), type: 'line', yAxisIndex: 1, data: d.byMonth.map((m) => m.onTimeRate), itemStyle: { color: ORANGE }, lineStyle: { type: 'dashed' } },
    ],
  };
  const categories = [...d.byCategory].sort((a, b) => a.created - b.created).slice(-12);
  // One bar per category (the busiest twelve); the label adds its on-time rate.
  const byCategory: ChartOption = {
    tooltip,
    grid: { left: 8, right: 72, top: 16, bottom: 16, containLabel: true },
    yAxis: { type: 'category', data: categories.map((c) => c.name), axisLabel: { width: 120, overflow: 'truncate' } },
    xAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: t('servicedesk.dashboard.created'),
        type: 'bar',
        barMaxWidth: 28,
        data: categories.map((c) => c.created),
        itemStyle: { color: BLUE },
        label: { show: true, position: 'right', formatter: (p: { dataIndex: number; value: unknown }) => `${String(p.value)} · ${pct(categories[p.dataIndex]?.onTimeRate)}` },
      },
    ],
  };
  const byCommunity: ChartOption = {
    tooltip,
    legend: { bottom: 0 },
    grid: { left: 40, right: 40, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: d.byCommunity.map((c) => c.name) },
    yAxis: [{ type: 'value', minInterval: 1 }, rateAxis],
    series: [
      { name: t('servicedesk.dashboard.created'), type: 'bar', data: d.byCommunity.map((c) => c.created), itemStyle: { color: BLUE }, barMaxWidth: 48 },
      { name: t('servicedesk.dashboard.onTimeRate'), type: 'bar', yAxisIndex: 1, data: d.byCommunity.map((c) => c.onTimeRate), itemStyle: { color: GREEN }, barMaxWidth: 48 },
      { name: t('servicedesk.dashboard.satisfiedRate'), type: 'bar', yAxisIndex: 1, data: d.byCommunity.map((c) => c.satisfaction), itemStyle: { color: ORANGE }, barMaxWidth: 48 },
    ],
  };
  return { byClock, byMonth, byCategory, byCommunity };
}

/** The weekly overdue-complaint and monthly summary workbooks. */
function Reports({ communityId }: { communityId: string | undefined }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [week, setWeek] = useState<Dayjs>(() => dayjs().subtract(7, 'day'));
  const [month, setMonth] = useState<Dayjs>(() => dayjs().subtract(1, 'month'));
  const [busy, setBusy] = useState<string | null>(null);
  const get = (key: string, path: string, query: Record<string, string | undefined>) => {
    setBusy(key);
    download(path, { ...query, communityId }, `${key}.xlsx`)
      .then((name) => void message.success(t('servicedesk.dashboard.downloaded', { name })))
      .catch((err: Error) => void message.error(err.message))
      .finally(() => setBusy(null));
  };
  return (
    <Card size="small" title={t('servicedesk.dashboard.reports')} data-testid="dashboard-reports">
      <Flex gap={24} wrap>
        <Flex gap={8} align="center" wrap>
          <Typography.Text>{t('servicedesk.dashboard.weeklyReport')}</Typography.Text>
          <DatePicker picker="week" value={week} onChange={(d) => d && setWeek(d)} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'day')} format={(d) => isoWeekOf(d)} data-testid="report-week" />
          <Button icon={<DownloadOutlined />} loading={busy === 'week'} onClick={() => get('week', '/api/service-desk/reports/overdue-complaints.xlsx', { week: isoWeekOf(week) })} data-testid="report-week-download">
            {t('servicedesk.dashboard.download')}
          </Button>
        </Flex>
        <Flex gap={8} align="center" wrap>
          <Typography.Text>{t('servicedesk.dashboard.monthlyReport')}</Typography.Text>
          <DatePicker picker="month" value={month} onChange={(d) => d && setMonth(d)} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'month')} data-testid="report-month" />
          <Button icon={<DownloadOutlined />} loading={busy === 'month'} onClick={() => get('month', '/api/service-desk/reports/monthly.xlsx', { month: month.format('YYYY-MM') })} data-testid="report-month-download">
            {t('servicedesk.dashboard.download')}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}

/** 服务台看板: volumes, on-time rates by clock, month, category and community, technicians, overdue tickets, reports. */
export default function DashboardPage() {
  const { t } = useTranslation();
  const { community } = useCurrentCommunity();
  const [pageCommunity, setPageCommunity] = useState<string | undefined>(undefined);
  const communityId = community?.id ?? pageCommunity;
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(29, 'day'), dayjs()]);
  const q = useDashboard({ communityId, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
  const d = q.data;
  const options = useMemo(() => (d ? charts(d, t) : null), [d, t]);
  const onTime = d ? overallOnTime(d) : null;

  return (
    <>
      <PageHeader
        title={t('servicedesk.dashboard.title')}
        subtitle={t('servicedesk.dashboard.subtitle')}
        extra={
          <>
            {!community && <CommunitySelect allowAll value={pageCommunity} onChange={setPageCommunity} testId="dashboard-community" />}
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              onChange={(r) => r?.[0] && r[1] && setRange([r[0], r[1]])}
              disabledDate={(x) => x.isAfter(dayjs(), 'day')}
              presets={[
                { label: t('servicedesk.dashboard.last30'), value: [dayjs().subtract(29, 'day'), dayjs()] },
                { label: t('servicedesk.dashboard.thisMonth'), value: [dayjs().startOf('month'), dayjs()] },
                { label: t('servicedesk.dashboard.lastMonth'), value: [dayjs().subtract(1, 'month').startOf('month'), dayjs().subtract(1, 'month').endOf('month')] },
                { label: t('servicedesk.dashboard.thisYear'), value: [dayjs().startOf('year'), dayjs()] },
              ]}
              data-testid="dashboard-range"
            />
          </>
        }
      />
      {q.error && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      {d && options && (
        <div data-testid="dashboard">
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={12} md={8} xl={3}>
              <Kpi title={t('servicedesk.dashboard.created')} value={d.totals.created} testId="dashboard-kpi-created" />
            </Col>
            <Col xs={12} md={8} xl={3}>
              <Kpi title={t('servicedesk.dashboard.open')} value={d.totals.open} testId="dashboard-kpi-open" />
            </Col>
            <Col xs={12} md={8} xl={3}>
              <Kpi title={t('servicedesk.dashboard.overdueOpen')} value={d.totals.overdueOpen} good={d.totals.overdueOpen === 0} testId="dashboard-kpi-overdue" />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Kpi title={t('servicedesk.dashboard.onTimeRate')} value={pct(onTime)} target={d.targets.timeliness} good={onTime === null ? undefined : onTime >= d.targets.timeliness} testId="dashboard-kpi-ontime" />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Kpi
                title={t('servicedesk.dashboard.satisfiedRate')}
                value={pct(d.satisfaction.satisfiedRate)}
                target={d.targets.satisfaction}
                good={d.satisfaction.satisfiedRate === null ? undefined : d.satisfaction.satisfiedRate >= d.targets.satisfaction}
                hint={d.satisfaction.average !== null && <Typography.Text type="secondary">{t('servicedesk.dashboard.average', { value: d.satisfaction.average.toFixed(2), count: d.satisfaction.rated })}</Typography.Text>}
                testId="dashboard-kpi-satisfaction"
              />
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Kpi
                title={t('servicedesk.dashboard.returnVisitRate')}
                value={pct(d.returnVisits.rate)}
                target={d.targets.returnVisit}
                good={d.returnVisits.rate === null ? undefined : d.returnVisits.rate >= d.targets.returnVisit}
                hint={<Typography.Text type="secondary">{t('servicedesk.dashboard.majorVisited', { visited: d.returnVisits.majorVisited, total: d.returnVisits.majorComplaints })}</Typography.Text>}
                testId="dashboard-kpi-visits"
              />
            </Col>
            <Col xs={12} md={8} xl={3}>
              <Kpi title={t('servicedesk.dashboard.reworkRate')} value={pct(d.rework.rate)} hint={<Typography.Text type="secondary">{t('servicedesk.dashboard.reworked', { reworked: d.rework.reworked, completed: d.rework.completed })}</Typography.Text>} testId="dashboard-kpi-rework" />
            </Col>
          </Row>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={24} xl={12}>
              <ChartCard title={t('servicedesk.dashboard.byClock')} empty={d.onTime.every((c) => c.met + c.metLate + c.overdue + c.running === 0)}>
                <EChart option={options.byClock} testId="dashboard-chart-byClock" />
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard title={t('servicedesk.dashboard.byMonth')} empty={d.byMonth.length === 0}>
                <EChart option={options.byMonth} testId="dashboard-chart-byMonth" />
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard title={t('servicedesk.dashboard.byCategory')} empty={d.byCategory.length === 0}>
                <EChart option={options.byCategory} testId="dashboard-chart-byCategory" />
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard title={t('servicedesk.dashboard.byCommunity')} empty={d.byCommunity.length === 0}>
                <EChart option={options.byCommunity} testId="dashboard-chart-byCommunity" />
              </ChartCard>
            </Col>
          </Row>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('servicedesk.dashboard.technicians')} style={{ height: '100%' }}>
                <Table
                  size="small"
                  rowKey="userId"
                  pagination={false}
                  scroll={{ x: 'max-content', y: 320 }}
                  dataSource={d.byTechnician}
                  data-testid="dashboard-technicians"
                  locale={{ emptyText: t('servicedesk.dashboard.noTechnicians') }}
                  columns={[
                    { title: t('servicedesk.dashboard.technician'), dataIndex: 'name' },
                    { title: t('servicedesk.dashboard.completed'), dataIndex: 'completed', align: 'right', sorter: (a, b) => a.completed - b.completed, defaultSortOrder: 'descend' },
                    { title: t('servicedesk.dashboard.onTimeRate'), dataIndex: 'onTimeRate', render: (v: number | null) => (v === null ? '—' : <Progress percent={v} size="small" style={{ width: 120, margin: 0 }} strokeColor={v >= d.targets.timeliness ? GREEN : ORANGE} />) },
                    { title: t('servicedesk.dashboard.avgRating'), dataIndex: 'avgRating', align: 'right', render: (v: number | null) => (v === null ? '—' : `${v.toFixed(2)} ★`) },
                    { title: t('servicedesk.dashboard.reworkRate'), dataIndex: 'reworkRate', align: 'right', render: pct },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('servicedesk.dashboard.overdue', { count: d.overdue.length })} style={{ height: '100%' }}>
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  scroll={{ x: 'max-content', y: 320 }}
                  dataSource={d.overdue}
                  data-testid="dashboard-overdue"
                  locale={{ emptyText: t('servicedesk.dashboard.noOverdue') }}
                  columns={[
                    { title: t('servicedesk.ticket.no'), dataIndex: 'no', render: (v: string, r) => <Link to={`/tickets/${r.id}`}>{v}</Link> },
                    { title: t('servicedesk.ticket.title'), dataIndex: 'title', render: (v: string) => <Typography.Text ellipsis style={{ maxWidth: 180 }}>{v}</Typography.Text> },
                    ...(communityId ? [] : [{ title: t('servicedesk.ticket.community'), dataIndex: 'communityName' }]),
                    { title: t('servicedesk.ticket.assignee'), dataIndex: 'assigneeName', render: (v: string | null) => v ?? '—' },
                    { title: t('servicedesk.ticket.clock'), dataIndex: 'clock', render: (c: Dashboard['overdue'][number]['clock']) => <Tag color="error">{t(`servicedesk.clocks.${c}`)}</Tag> },
                    { title: t('servicedesk.dashboard.dueAt'), dataIndex: 'dueAt', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }} title={formatDateTime(v)}>{dayjs(v).format('MM-DD HH:mm')}</span> },
                  ]}
                />
              </Card>
            </Col>
          </Row>
          <Reports communityId={communityId} />
        </div>
      )}
    </>
  );
}
