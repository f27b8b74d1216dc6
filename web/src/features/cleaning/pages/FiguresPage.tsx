import { useMemo, useState } from 'react';
import { Card, Col, DatePicker, Flex, Row, Segmented, Skeleton, Statistic, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { EChart, type ChartOption } from '../../servicedesk/components/EChart.tsx';
import { type CleaningFigures, type CleaningTask, useFigures, useTasks } from '../api.ts';
import { STATE_HEX, StateTag, windowText } from '../components/labels.tsx';

type Named = CleaningFigures['byArea'][number];
const pct = (v: number | null) => (v === null ? '—' : `${v}%`);

/** 完成率统计: completion by day (chart), week, area, team and person, and the overdue and missed tasks to follow up. */
export default function FiguresPage() {
  const { t } = useTranslation();
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [range, setRange] = useState<[string, string]>([dayjs().subtract(6, 'day').format('YYYY-MM-DD'), dayjs().format('YYYY-MM-DD')]);
  const [team, setTeam] = useState<'post' | 'department'>('post');
  const figures = useFigures(communityId, range[0], range[1]);
  const missed = useTasks({ communityId, from: range[0], to: range[1], state: 'missed', pageSize: 50 }, Boolean(communityId));
  const overdue = useTasks({ communityId, from: range[0], to: range[1], state: 'overdue', pageSize: 50 }, Boolean(communityId));

  const chart = useMemo<ChartOption | null>(() => {
    const f = figures.data;
    if (!f) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 40, right: 40, top: 20, bottom: 50 },
      xAxis: { type: 'category', data: f.byDay.map((d) => d.day.slice(5)) },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        { name: t('cleaning.figures.done'), type: 'bar', stack: 'n', data: f.byDay.map((d) => d.done - d.late), itemStyle: { color: STATE_HEX.done } },
        { name: t('cleaning.figures.late'), type: 'bar', stack: 'n', data: f.byDay.map((d) => d.late), itemStyle: { color: STATE_HEX.late } },
        { name: t('cleaning.figures.missed'), type: 'bar', stack: 'n', data: f.byDay.map((d) => d.missed), itemStyle: { color: STATE_HEX.missed } },
        { name: t('cleaning.figures.rate'), type: 'line', yAxisIndex: 1, data: f.byDay.map((d) => d.rate), smooth: true, itemStyle: { color: '#1677ff' } },
      ],
    };
  }, [figures.data, t]);

  const columns = (first: string) => [
    { title: first, dataIndex: 'name', key: 'name' },
    { title: t('cleaning.figures.total'), dataIndex: 'total', key: 'total', align: 'right' as const, width: 70 },
    { title: t('cleaning.figures.done'), dataIndex: 'done', key: 'done', align: 'right' as const, width: 70 },
    { title: t('cleaning.figures.late'), dataIndex: 'late', key: 'late', align: 'right' as const, width: 70 },
    { title: t('cleaning.figures.missed'), dataIndex: 'missed', key: 'missed', align: 'right' as const, width: 60 },
    { title: t('cleaning.figures.rate'), dataIndex: 'rate', key: 'rate', align: 'right' as const, width: 80, render: pct },
  ];

  const f = figures.data;
  const followUp = [...(overdue.data?.items ?? []), ...(missed.data?.items ?? [])];
  return (
    <div data-testid="cleaning-figures">
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        {!fromHeader && <CommunitySelect value={communityId} onChange={(c) => c && setCommunityId(c)} />}
        <DatePicker.RangePicker
          value={[dayjs(range[0]), dayjs(range[1])]}
          allowClear={false}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')])}
        />
      </Flex>
      {figures.error ? (
        <QueryError error={figures.error} onRetry={() => void figures.refetch()} />
      ) : !f ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={16}>
          <Row gutter={16}>
            {(
              [
                ['rate', pct(f.totals.rate)],
                ['onTimeRate', pct(f.totals.onTimeRate)],
                ['total', f.totals.total],
                ['missed', f.totals.missed],
              ] as const
            ).map(([k, v]) => (
              <Col key={k} xs={12} md={6}>
                <Card size="small">
                  <Statistic title={t(`cleaning.figures.${k}`)} value={v} valueStyle={k === 'missed' && f.totals.missed ? { color: STATE_HEX.missed } : undefined} />
                </Card>
              </Col>
            ))}
          </Row>
          <Card size="small" title={t('cleaning.figures.byDay')}>
            {chart && <EChart option={chart} height={280} testId="cleaning-chart" />}
          </Card>
          <Row gutter={16}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('cleaning.figures.byArea')}>
                <Table<Named> size="small" rowKey={(r) => r.id ?? r.name} dataSource={f.byArea} pagination={false} columns={columns(t('cleaning.area'))} />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Flex vertical gap={16}>
                <Card
                  size="small"
                  title={t('cleaning.figures.byTeam')}
                  extra={
                    <Segmented
                      size="small"
                      value={team}
                      onChange={(v) => setTeam(v as 'post' | 'department')}
                      options={[
                        { value: 'post', label: t('cleaning.figures.post') },
                        { value: 'department', label: t('cleaning.figures.department') },
                      ]}
                    />
                  }
                >
                  <Table<Named> size="small" rowKey={(r) => r.id ?? r.name} dataSource={team === 'post' ? f.byPost : f.byDepartment} pagination={false} columns={columns(t(`cleaning.figures.${team}`))} />
                </Card>
                <Card size="small" title={t('cleaning.figures.byPerson')}>
                  <Table<Named> size="small" rowKey={(r) => r.id ?? r.name} dataSource={f.byPerson} pagination={false} columns={columns(t('cleaning.figures.person'))} />
                </Card>
                <Card size="small" title={t('cleaning.figures.byWeek')}>
                  <Table<CleaningFigures['byWeek'][number]>
                    size="small"
                    rowKey="week"
                    dataSource={f.byWeek}
                    pagination={false}
                    columns={columns(t('cleaning.day')).map((c) => (c.key === 'name' ? { ...c, dataIndex: 'week' } : c))}
                  />
                </Card>
              </Flex>
            </Col>
          </Row>
          <Card size="small" title={t('cleaning.figures.overdueList')} data-testid="cleaning-followup">
            <Table<CleaningTask>
              size="small"
              rowKey="id"
              dataSource={followUp}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              columns={[
                { title: t('cleaning.day'), dataIndex: 'day', width: 110 },
                { title: t('cleaning.window'), key: 'w', width: 130, render: (_, r) => windowText(r.startsAt, r.dueAt) },
                { title: t('cleaning.area'), key: 'a', render: (_, r) => r.area.name },
                { title: t('cleaning.item'), key: 'i', render: (_, r) => r.item.name },
                { title: t('cleaning.assignee'), key: 'p', render: (_, r) => r.assignee?.name ?? <Typography.Text type="secondary">{t('cleaning.teamTask')}</Typography.Text> },
                { title: t('cleaning.status'), key: 's', width: 100, render: (_, r) => <StateTag state={r.state} /> },
              ]}
            />
          </Card>
        </Flex>
      )}
    </div>
  );
}
