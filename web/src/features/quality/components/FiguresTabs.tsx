import { useMemo, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Empty, Flex, Form, Input, InputNumber, Modal, Row, Segmented, Select, Skeleton, Statistic, Table, Tag, Typography } from 'antd';
import { FileExcelOutlined, FilePdfOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { showServerErrors } from '../../../lib/form.ts';
import { formatDateTime, formatYuan, yuanToFen } from '../../../lib/format.ts';
import { EChart, type ChartOption } from '../../servicedesk/components/EChart.tsx';
import { downloadReport, useAssignees, useCompileReport, useCreateReward, useRewards, useScores, useWeeklyReport } from '../api.ts';
import { NoticeStatusTag } from './tags.tsx';

const pct = (p: number | null) => (p === null ? '—' : `${p}%`);

/** 得分趋势: the community's score and each department's by week or month, and who was charged with findings. */
export function ScoresTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<'week' | 'month'>('week');
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(11, 'week').startOf('week'), dayjs()]);
  const scores = useScores({ communityId, period, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
  const option = useMemo<ChartOption | null>(() => {
    const s = scores.data;
    if (!s) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: s.periods },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        { name: t('quality.scores.overall'), type: 'line', data: s.overall, connectNulls: true, lineStyle: { width: 3 } },
        ...s.departments.map((d) => ({ name: d.name, type: 'line' as const, data: d.percents, connectNulls: true })),
      ],
    };
  }, [scores.data, t]);
  return (
    <Flex vertical gap={16}>
      <Flex gap={12} wrap>
        <DatePicker.RangePicker value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} allowClear={false} />
        <Segmented value={period} onChange={(v) => setPeriod(v as 'week' | 'month')} options={[{ value: 'week', label: t('quality.scores.week') }, { value: 'month', label: t('quality.scores.month') }]} />
      </Flex>
      {scores.error && <QueryError error={scores.error} onRetry={() => void scores.refetch()} />}
      <Card size="small" title={t('quality.scores.departments')}>{option ? <EChart option={option} height={320} testId="quality-scores-chart" /> : <Skeleton active />}</Card>
      <Card size="small" title={t('quality.scores.people')}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={scores.data?.people}
          columns={[
            { title: t('quality.scores.person'), dataIndex: 'name' },
            { title: t('quality.scores.findings'), dataIndex: 'findings' },
            { title: t('quality.scores.deducted'), dataIndex: 'deducted' },
            { title: t('quality.scores.rewardPoints'), dataIndex: 'rewardPoints' },
            { title: t('quality.scores.penaltyPoints'), dataIndex: 'penaltyPoints' },
          ]}
        />
      </Card>
    </Flex>
  );
}

/** 奖优罚劣: reward and penalty records of the community. */
export function RewardsTab({ communityId, canManage }: { communityId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const list = useRewards({ communityId, page, pageSize: 20 });
  return (
    <>
      {canManage && (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('quality.rewards.create')}
          </Button>
        </Flex>
      )}
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('quality.rewards.date'), dataIndex: 'occurredOn', width: 110 },
          { title: t('quality.rewards.kind'), width: 80, render: (_, r) => <Tag color={r.kind === 'reward' ? 'green' : 'red'}>{t(`quality.rewards.${r.kind}`)}</Tag> },
          { title: t('quality.rewards.target'), render: (_, r) => [r.user?.name, r.department?.name].filter(Boolean).join(' · ') },
          { title: t('quality.rewards.points'), dataIndex: 'points', width: 70 },
          { title: t('quality.rewards.amount'), width: 100, render: (_, r) => (r.amountFen === null ? '' : formatYuan(r.amountFen)) },
          { title: t('quality.rewards.reason'), dataIndex: 'reason' },
          { title: t('quality.rewards.notice'), dataIndex: 'noticeNo', width: 140 },
          { title: t('quality.rewards.recordedBy'), dataIndex: 'createdBy', width: 90 },
        ]}
      />
      {creating && <RewardModal communityId={communityId} onClose={() => setCreating(false)} />}
    </>
  );
}

function RewardModal({ communityId, onClose }: { communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ kind: 'reward' | 'penalty'; userId?: string; departmentId?: string; points?: number; amount?: string; reason: string; occurredOn: Dayjs }>();
  const people = useAssignees(communityId);
  const create = useCreateReward();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await create.mutateAsync({ communityId, kind: v.kind, userId: v.userId, departmentId: v.departmentId, points: v.points ?? undefined, amountFen: v.amount ? (yuanToFen(v.amount) ?? undefined) : undefined, reason: v.reason, occurredOn: v.occurredOn.format('YYYY-MM-DD') });
      void message.success(t('quality.common.done'));
      onClose();
    } catch (err) {
      const rest = showServerErrors(form, err, { amountFen: 'amount' });
      if (rest) void message.error(rest);
    }
  };
  return (
    <Modal open title={t('quality.rewards.create')} onCancel={onClose} onOk={() => void submit().catch(() => undefined)} confirmLoading={create.isPending}>
      <Form form={form} layout="vertical" initialValues={{ kind: 'reward', occurredOn: dayjs() }}>
        <Typography.Paragraph type="secondary">{t('quality.rewards.targetHint')}</Typography.Paragraph>
        <Form.Item name="kind" label={t('quality.rewards.kind')}>
          <Segmented options={[{ value: 'reward', label: t('quality.rewards.reward') }, { value: 'penalty', label: t('quality.rewards.penalty') }]} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="userId" label={t('quality.rewards.user')} style={{ flex: 1 }}>
            <Select allowClear showSearch optionFilterProp="label" options={(people.data?.rectifiers ?? []).map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
          <Form.Item name="departmentId" label={t('quality.rewards.department')} style={{ flex: 1 }}>
            <Select allowClear options={(people.data?.departments ?? []).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="points" label={t('quality.rewards.points')} style={{ flex: 1 }}>
            <InputNumber min={1} max={100} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="amount" label={t('quality.rewards.amount')} style={{ flex: 1 }}>
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item name="occurredOn" label={t('quality.rewards.date')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Flex>
        <Form.Item name="reason" label={t('quality.rewards.reason')} rules={[{ required: true, max: 200 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 督导周报: the week's inspections, findings by department, rectification rate, overdue notices; exported as .xlsx or PDF. */
export function ReportTab({ communityId, canManage }: { communityId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [week, setWeek] = useState<Dayjs>(dayjs().subtract(1, 'week'));
  const weekKey = week.format('YYYY-MM-DD');
  const report = useWeeklyReport(communityId, weekKey);
  const compile = useCompileReport();
  const r = report.data;
  const exportAs = (kind: 'xlsx' | 'pdf') => void downloadReport(communityId, weekKey, kind).catch((e: Error) => message.error(e.message));
  return (
    <Flex vertical gap={16} data-testid="quality-report">
      <Flex gap={8} wrap align="center">
        <DatePicker picker="week" value={week} onChange={(v) => v && setWeek(v)} allowClear={false} />
        {r && (
          <Typography.Text type="secondary">
            {r.weekStart} ~ {r.weekEnd} · {t('quality.report.compiled', { at: formatDateTime(r.compiledAt) })}
          </Typography.Text>
        )}
        <Flex gap={8} style={{ marginLeft: 'auto' }}>
          {canManage && (
            <Button icon={<ReloadOutlined />} loading={compile.isPending} onClick={() => compile.mutate({ communityId, week: weekKey })}>
              {t('quality.report.compile')}
            </Button>
          )}
          <Button icon={<FileExcelOutlined />} onClick={() => exportAs('xlsx')} data-testid="report-xlsx">
            {t('quality.report.xlsx')}
          </Button>
          <Button icon={<FilePdfOutlined />} onClick={() => exportAs('pdf')} data-testid="report-pdf">
            {t('quality.report.pdf')}
          </Button>
        </Flex>
      </Flex>
      {report.error && <QueryError error={report.error} onRetry={() => void report.refetch()} />}
      {!r ? (
        <Skeleton active />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            {[
              [t('quality.report.planned'), r.inspectionsPlanned],
              [t('quality.report.done'), r.inspectionsDone],
              [t('quality.report.average'), pct(r.averagePercent)],
              [t('quality.report.findings'), r.findingsTotal],
              [t('quality.report.rate'), pct(r.rectification.rate), t('quality.report.rateHint', { onTime: r.rectification.closedOnTime, due: r.rectification.due })],
              [t('quality.report.overdue'), r.overdue.length],
            ].map(([title, value, hint]) => (
              <Col key={String(title)} xs={12} md={8} xl={4}>
                <Card size="small">
                  <Statistic title={title} value={value as string | number} valueStyle={title === t('quality.report.overdue') && r.overdue.length ? { color: '#cf1322' } : undefined} />
                  {hint && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{hint}</Typography.Text>}
                </Card>
              </Col>
            ))}
          </Row>
          <Card size="small" title={t('quality.tabs.inspections')}>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={r.inspections}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
              columns={[
                { title: t('quality.inspections.date'), dataIndex: 'plannedOn', width: 110 },
                { title: t('quality.inspections.title'), dataIndex: 'title' },
                { title: t('quality.inspections.kind'), width: 100, render: (_, x) => t(`quality.kind.${x.kind}`) },
                { title: t('quality.inspections.inspector'), dataIndex: 'inspector', width: 90 },
                { title: t('quality.inspections.score'), width: 140, render: (_, x) => (x.score === null ? t(`quality.inspectionStatus.${x.status}`) : `${x.score}/${x.maxScore} (${pct(x.percent)})`) },
                { title: t('quality.inspections.findings'), dataIndex: 'findings', width: 80 },
              ]}
            />
          </Card>
          <Row gutter={12}>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('quality.report.byDepartment')}>
                <Table rowKey="department" size="small" pagination={false} dataSource={r.findingsByDepartment} columns={[{ title: t('quality.report.department'), dataIndex: 'department' }, { title: t('quality.inspections.findings'), dataIndex: 'findings' }, { title: t('quality.inspections.deducted'), dataIndex: 'deducted' }]} />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('quality.report.deptScores')}>
                <Table rowKey="department" size="small" pagination={false} dataSource={r.departmentScores} columns={[{ title: t('quality.report.department'), dataIndex: 'department' }, { title: t('quality.inspections.score'), render: (_, x) => pct(x.percent) }]} />
              </Card>
            </Col>
          </Row>
          <Card size="small" title={t('quality.report.overdue')}>
            <Table
              rowKey="no"
              size="small"
              pagination={false}
              dataSource={r.overdue}
              columns={[
                { title: t('quality.notices.no'), dataIndex: 'no', width: 140 },
                { title: t('quality.notices.description'), dataIndex: 'description' },
                { title: t('quality.notices.department'), render: (_, x) => x.department ?? x.assignee ?? '' },
                { title: t('quality.notices.deadline'), render: (_, x) => formatDateTime(x.deadlineAt) },
                { title: t('quality.notices.status'), render: (_, x) => <NoticeStatusTag status={x.status} overdue /> },
                { title: '', render: (_, x) => (x.escalationLevel ? <Tag color="volcano">{t(`quality.common.escalated${x.escalationLevel as 1 | 2}`)}</Tag> : null) },
              ]}
            />
          </Card>
          <Card size="small" title={t('quality.report.rewards')}>
            <Table
              rowKey={(x) => `${x.kind}${x.target}${x.reason}`}
              size="small"
              pagination={false}
              dataSource={r.rewards}
              columns={[
                { title: t('quality.rewards.kind'), render: (_, x) => <Tag color={x.kind === 'reward' ? 'green' : 'red'}>{t(`quality.rewards.${x.kind}`)}</Tag> },
                { title: t('quality.rewards.target'), dataIndex: 'target' },
                { title: t('quality.rewards.points'), dataIndex: 'points' },
                { title: t('quality.rewards.amount'), render: (_, x) => (x.amountFen === null ? '' : formatYuan(x.amountFen)) },
                { title: t('quality.rewards.reason'), dataIndex: 'reason' },
              ]}
            />
          </Card>
        </>
      )}
    </Flex>
  );
}
