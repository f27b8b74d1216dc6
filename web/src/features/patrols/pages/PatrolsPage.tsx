import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App, Button, Card, Col, DatePicker, Empty, Flex, Image, Progress, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAbilities } from '../../auth/api.ts';
import { EChart, type ChartOption } from '../../servicedesk/components/EChart.tsx';
import { type Checkin, type Figures, type Task, useCheckins, useFigures, useGenerate, useTasks } from '../api.ts';
import { PointTag, TaskStatusTag, windowText } from '../components/bits.tsx';

type Tab = 'tasks' | 'figures' | 'records';

/**
 * 巡更巡检: a day's tasks by plan (rounds with windows, people, points; missed points in red, abnormal ones marked
 * with their ticket), the figures over a date range, and the check-in records with photos and tickets.
 */
export function PatrolsPage() {
  const { t } = useTranslation();
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [tab, setTab] = useState<Tab>('tasks');
  const [day, setDay] = useState<Dayjs>(dayjs());
  return (
    <>
      <PageHeader
        title={t('patrols.title')}
        subtitle={t('patrols.subtitle')}
        extra={!fromHeader && <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} testId="patrol-community" />}
      />
      <Segmented<Tab>
        value={tab}
        onChange={setTab}
        options={[
          { value: 'tasks', label: t('patrols.tabs.tasks') },
          { value: 'figures', label: t('patrols.tabs.figures') },
          { value: 'records', label: t('patrols.tabs.records') },
        ]}
        style={{ marginBottom: 16 }}
        data-testid="patrol-tabs"
      />
      {communityId && tab === 'tasks' && <TasksTab communityId={communityId} day={day} setDay={setDay} />}
      {communityId && tab === 'figures' && <FiguresTab communityId={communityId} />}
      {communityId && tab === 'records' && <RecordsTab communityId={communityId} />}
    </>
  );
}

function TasksTab({ communityId, day, setDay }: { communityId: string; day: Dayjs; setDay: (d: Dayjs) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const can = useAbilities();
  const { message } = App.useApp();
  const dayKey = day.format('YYYY-MM-DD');
  const tasks = useTasks(communityId, dayKey);
  const generate = useGenerate();
  const byPlan = useMemo(() => {
    const groups = new Map<string, Task[]>();
    for (const task of tasks.data ?? []) groups.set(task.planId, [...(groups.get(task.planId) ?? []), task]);
    return [...groups.values()];
  }, [tasks.data]);
  const all = tasks.data ?? [];
  const sum = (f: (x: Task) => number) => all.reduce((n, x) => n + f(x), 0);
  const total = sum((x) => x.pointsTotal);
  const done = sum((x) => x.pointsDone);
  const missed = sum((x) => x.pointsMissed);
  const abnormal = all.flatMap((x) => x.points).filter((p) => p.abnormal).length;
  const openTicket = (id: string) => navigate(`/tickets/${id}`);

  return (
    <>
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        <DatePicker value={day} onChange={(d) => d && setDay(d)} allowClear={false} data-testid="patrol-day" />
        <Button icon={<ReloadOutlined />} onClick={() => void tasks.refetch()}>
          {t('patrols.refresh')}
        </Button>
        {can('patrol.manage') && (
          <Button
            loading={generate.isPending}
            onClick={() =>
              generate.mutate({ communityId, day: dayKey }, { onSuccess: (r) => void message.success(t('patrols.generated', { created: r.created, tasks: r.tasks })), onError: (e) => void message.error(e.message) })
            }
            data-testid="patrol-generate"
          >
            {t('patrols.generate')}
          </Button>
        )}
      </Flex>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('patrols.stats.tasks')} value={all.length} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('patrols.stats.done')} value={done} suffix={`/ ${total}`} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('patrols.stats.missed')} value={missed} valueStyle={missed ? { color: '#cf1322' } : undefined} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('patrols.stats.abnormal')} value={abnormal} valueStyle={abnormal ? { color: '#d4380d' } : undefined} /></Card></Col>
      </Row>
      {tasks.error ? (
        <QueryError error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : !tasks.isPending && byPlan.length === 0 ? (
        <Card><Empty description={t('patrols.noTasks')} /></Card>
      ) : (
        <Flex vertical gap={16}>
          {byPlan.map((rounds) => (
            <Card
              key={rounds[0].planId}
              size="small"
              loading={tasks.isPending}
              title={
                <Space>
                  <span>{rounds[0].planName}</span>
                  <Tag>{t(`patrols.kind.${rounds[0].kind}`)}</Tag>
                  <Typography.Text type="secondary">{rounds[0].routeName} · {rounds[0].shiftName}</Typography.Text>
                </Space>
              }
              data-testid="patrol-plan-card"
            >
              <Table<Task>
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={rounds}
                rowClassName={(r) => (r.pointsMissed ? 'patrol-row-missed' : '')}
                columns={[
                  { title: t('patrols.round'), dataIndex: 'round', width: 64, render: (n: number) => t('patrols.roundN', { n }) },
                  { title: t('patrols.window'), width: 130, render: (_, r) => windowText(r.windowStart, r.windowEnd, t('patrols.nextDay')) },
                  {
                    title: t('patrols.assignees'),
                    width: 170,
                    render: (_, r) => (
                      <Space size={4} wrap>
                        {r.assignees.map((a) => a.name).join('、') || '—'}
                        {r.flag && <Tag color="orange" data-testid="patrol-flag">{t(`patrols.flag.${r.flag}`)}</Tag>}
                      </Space>
                    ),
                  },
                  { title: t('patrols.status'), width: 90, render: (_, r) => <TaskStatusTag status={r.status} windowStart={r.windowStart} /> },
                  { title: t('patrols.progress'), width: 120, render: (_, r) => <Progress size="small" percent={Math.round((r.pointsDone / Math.max(r.pointsTotal, 1)) * 100)} status={r.pointsMissed ? 'exception' : undefined} /> },
                  { title: t('patrols.points'), render: (_, r) => r.points.map((p) => <PointTag key={p.id} point={p} onTicket={openTicket} />) },
                ]}
              />
            </Card>
          ))}
        </Flex>
      )}
    </>
  );
}

function FiguresTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(6, 'day'), dayjs()]);
  const figures = useFigures({ communityId, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
  const f = figures.data;
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, data: [t('patrols.stats.done'), t('patrols.stats.missed'), t('patrols.rate')] },
      grid: { left: 40, right: 40, top: 40, bottom: 56 },
      xAxis: { type: 'category', data: (f?.byDay ?? []).map((d) => d.label.slice(5)) },
      yAxis: [{ type: 'value', name: t('patrols.pointsUnit') }, { type: 'value', name: '%', max: 100 }],
      series: [
        { name: t('patrols.stats.done'), type: 'bar', stack: 'p', barMaxWidth: 48, data: (f?.byDay ?? []).map((d) => d.done), itemStyle: { color: '#52c41a' } },
        { name: t('patrols.stats.missed'), type: 'bar', stack: 'p', data: (f?.byDay ?? []).map((d) => d.missed), itemStyle: { color: '#ff4d4f' } },
        { name: t('patrols.rate'), type: 'line', yAxisIndex: 1, data: (f?.byDay ?? []).map((d) => d.rate), itemStyle: { color: '#1677ff' } },
      ],
    }),
    [f, t],
  );
  const table = (title: string, rows: Figures['byRoute'], testId: string) => (
    <Card size="small" title={title} data-testid={testId}>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t('patrols.name'), dataIndex: 'label', render: (v: string) => v || t('patrols.flag.unassigned') },
          { title: t('patrols.stats.total'), dataIndex: 'total', align: 'right' },
          { title: t('patrols.stats.done'), dataIndex: 'done', align: 'right' },
          { title: t('patrols.stats.missed'), dataIndex: 'missed', align: 'right', render: (v: number) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : v) },
          { title: t('patrols.rate'), dataIndex: 'rate', align: 'right', render: (v: number) => `${v}%` },
        ]}
      />
    </Card>
  );
  if (figures.error) return <QueryError error={figures.error} onRetry={() => void figures.refetch()} />;
  return (
    <>
      <DatePicker.RangePicker value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} allowClear={false} style={{ marginBottom: 16 }} />
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('patrols.rate')} value={f?.total.rate ?? 0} suffix="%" /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('patrols.stats.done')} value={f?.total.done ?? 0} suffix={`/ ${f?.total.total ?? 0}`} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('patrols.stats.missed')} value={f?.total.missed ?? 0} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('patrols.stats.abnormal')} value={f?.abnormal ?? 0} /></Card></Col>
      </Row>
      <Card size="small" title={t('patrols.byDay')} style={{ marginBottom: 16 }}>
        <EChart option={option} height={260} testId="patrol-chart" />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>{table(t('patrols.byRoute'), f?.byRoute ?? [], 'patrol-by-route')}</Col>
        <Col xs={24} lg={8}>{table(t('patrols.byShift'), f?.byShift ?? [], 'patrol-by-shift')}</Col>
        <Col xs={24} lg={8}>{table(t('patrols.byPerson'), f?.byPerson ?? [], 'patrol-by-person')}</Col>
      </Row>
    </>
  );
}

function RecordsTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [abnormalOnly, setAbnormalOnly] = useState(false);
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(1, 'day'), dayjs()]);
  const q = { communityId, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), abnormal: abnormalOnly ? ('true' as const) : undefined, page, pageSize: 20 };
  const records = useCheckins(q);
  if (records.error) return <QueryError error={records.error} onRetry={() => void records.refetch()} />;
  return (
    <>
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker value={range} onChange={(v) => v?.[0] && v[1] && (setRange([v[0], v[1]]), setPage(1))} allowClear={false} />
        <Segmented
          value={abnormalOnly ? 'abnormal' : 'all'}
          onChange={(v) => (setAbnormalOnly(v === 'abnormal'), setPage(1))}
          options={[{ value: 'all', label: t('patrols.allRecords') }, { value: 'abnormal', label: t('patrols.abnormalOnly') }]}
        />
      </Flex>
      <Table<Checkin>
        rowKey="id"
        size="small"
        loading={records.isPending}
        dataSource={records.data?.items}
        pagination={{ current: page, pageSize: 20, total: records.data?.total, onChange: setPage, showSizeChanger: false }}
        data-testid="patrol-records"
        columns={[
          {
            title: t('patrols.scannedAt'),
            width: 150,
            render: (_, r) => {
              const late = Date.parse(r.receivedAt) - Date.parse(r.scannedAt) > 5 * 60_000;
              return (
                <Space direction="vertical" size={0}>
                  <span>{dayjs(r.scannedAt).format('MM-DD HH:mm')}</span>
                  {late && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('patrols.syncedAt', { time: dayjs(r.receivedAt).format('MM-DD HH:mm') })}</Typography.Text>}
                </Space>
              );
            },
          },
          { title: t('patrols.checkpoint'), render: (_, r) => `${r.checkpointNo}. ${r.checkpointName}` },
          { title: t('patrols.person'), dataIndex: 'userName', width: 90 },
          { title: t('patrols.route'), dataIndex: 'routeName', render: (v: string | null) => v ?? '—' },
          {
            title: t('patrols.answers'),
            render: (_, r) => (
              <Space direction="vertical" size={0}>
                {r.answers.map((a) => (
                  <Typography.Text key={a.itemId} type={a.abnormal ? 'danger' : undefined}>
                    {a.abnormal && <WarningOutlined />} {a.label}：{a.value === true ? t('patrols.yes') : a.value === false ? t('patrols.no') : String(a.value ?? '—')}
                  </Typography.Text>
                ))}
                {r.note && <Typography.Text type="secondary">{r.note}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('patrols.photos'),
            width: 140,
            render: (_, r) => (
              <Image.PreviewGroup>
                {r.photoIds.map((id) => (
                  <Image key={id} width={40} height={40} style={{ objectFit: 'cover', borderRadius: 4, marginRight: 4 }} src={`/api/files/${id}/thumb`} preview={{ src: `/api/files/${id}` }} alt="" />
                ))}
              </Image.PreviewGroup>
            ),
          },
          {
            title: t('patrols.ticket'),
            width: 150,
            render: (_, r) =>
              r.ticket ? (
                <Button type="link" size="small" onClick={() => navigate(`/tickets/${r.ticket!.id}`)} data-testid="patrol-ticket-link">
                  {r.ticket.no}
                </Button>
              ) : r.abnormal ? (
                <Tag color="orange">{t('patrols.noTicketYet')}</Tag>
              ) : null,
          },
        ]}
      />
    </>
  );
}
