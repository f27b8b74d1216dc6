import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Flex, Form, Input, Modal, Radio, Rate, Segmented, Table, Tag, Typography } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { returnVisitBody } from '../../../../../src/modules/servicedesk/schema.ts';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { showServerErrors, zodField } from '../../../lib/form.ts';
import { useNow } from '../labels.ts';
import { useRecordReturnVisit, useReturnVisitQuestions, useReturnVisits, type ReturnVisitItem, type ReturnVisitQuery } from '../api.ts';

/** Questions the form asks with its own fields. */
const OWN_FIELDS = new Set(['resolved', 'satisfaction']);

interface Values {
  outcome: 'done' | 'unreachable';
  channel: 'phone' | 'visit';
  satisfaction?: number;
  resolved?: boolean;
  answers?: Record<string, boolean>;
  note?: string;
}

/** 记录回访: the owner answered (satisfaction, solved or not, the standard questions) or could not be reached. */
function RecordVisitModal({ visit, onClose }: { visit: ReturnVisitItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const record = useRecordReturnVisit();
  const questions = useReturnVisitQuestions();
  const outcome = Form.useWatch('outcome', form) ?? 'done';

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !visit) return;
    setFormError(null);
    const body =
      v.outcome === 'unreachable'
        ? { outcome: 'unreachable' as const, channel: v.channel, note: v.note?.trim() || undefined }
        : {
            outcome: 'done' as const,
            channel: v.channel,
            satisfaction: v.satisfaction,
            resolved: v.resolved,
            // The form's own fields answer the questions of the same name.
            answers: { ...Object.fromEntries(Object.entries(v.answers ?? {}).filter(([, a]) => a !== undefined)), resolved: v.resolved ?? false, satisfaction: v.satisfaction ?? 0 },
            note: v.note?.trim() || undefined,
          };
    record.mutate(
      { id: visit.id, body },
      {
        onSuccess: () => {
          void message.success(v.outcome === 'done' ? t('servicedesk.visits.recorded') : t('servicedesk.visits.unreachableRecorded'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <Modal
      open={visit !== null}
      title={t('servicedesk.visits.record')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'visit-submit' }}
      confirmLoading={record.isPending}
      destroyOnHidden
      width={600}
    >
      {visit && (
        <Typography.Paragraph type="secondary">
          {visit.ticketNo} · {visit.ticketTitle}
          {visit.reporterName || visit.reporterPhone ? ` · ${[visit.reporterName, visit.reporterPhone].filter(Boolean).join(' ')}` : ''}
        </Typography.Paragraph>
      )}
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={{ outcome: 'done', channel: 'phone' }}>
        <Flex gap={24} wrap>
          <Form.Item name="outcome" label={t('servicedesk.visits.outcome')}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={[
                { value: 'done', label: t('servicedesk.visits.outcomes.done') },
                { value: 'unreachable', label: t('servicedesk.visits.outcomes.unreachable') },
              ]}
              data-testid="visit-outcome"
            />
          </Form.Item>
          <Form.Item name="channel" label={t('servicedesk.visits.channel')}>
            <Radio.Group
              options={[
                { value: 'phone', label: t('servicedesk.visits.channels.phone') },
                { value: 'visit', label: t('servicedesk.visits.channels.visit') },
              ]}
            />
          </Form.Item>
        </Flex>
        {outcome === 'done' && (
          <>
            <Form.Item name="satisfaction" label={t('servicedesk.visits.satisfaction')} rules={[{ required: true, message: t('validation.required') }]}>
              <Rate data-testid="visit-satisfaction" />
            </Form.Item>
            <Form.Item name="resolved" label={t('servicedesk.visits.resolved')} rules={[{ required: true, message: t('validation.required') }]}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: true, label: t('common.yes') },
                  { value: false, label: t('common.no') },
                ]}
                data-testid="visit-resolved"
              />
            </Form.Item>
            {(questions.data?.items ?? [])
              .filter((q) => !OWN_FIELDS.has(q.key))
              .map((q) => (
                <Form.Item key={q.key} name={['answers', q.key]} label={q.text}>
                  <Radio.Group
                    optionType="button"
                    options={[
                      { value: true, label: t('common.yes') },
                      { value: false, label: t('common.no') },
                    ]}
                    data-testid={`visit-answer-${q.key}`}
                  />
                </Form.Item>
              ))}
          </>
        )}
        {outcome === 'unreachable' && <Alert type="info" showIcon title={t('servicedesk.visits.unreachableHint')} style={{ marginBottom: 16 }} />}
        <Form.Item name="note" label={t('servicedesk.form.note')} {...zodField(returnVisitBody.shape.note)}>
          <Input.TextArea rows={2} maxLength={1000} placeholder={t('common.optional')} data-testid="visit-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 回访: completed tickets to call back, mandatory ones first, then by when the next attempt is due. */
export default function ReturnVisitsPage() {
  const { t } = useTranslation();
  const { community } = useCurrentCommunity();
  const [query, setQuery] = useState<ReturnVisitQuery>({ page: 1, pageSize: 20, status: 'pending' });
  const [recording, setRecording] = useState<ReturnVisitItem | null>(null);
  const list = useReturnVisits({ ...query, communityId: community?.id });
  const now = useNow();
  const segment = query.due === 'true' ? 'due' : (query.status ?? 'all');

  return (
    <>
      <PageHeader title={t('servicedesk.visits.title')} subtitle={t('servicedesk.visits.subtitle')} />
      <Card>
        <Segmented
          value={segment}
          onChange={(v) => setQuery((x) => ({ ...x, page: 1, due: v === 'due' ? 'true' : undefined, status: v === 'all' || v === 'due' ? undefined : (v as ReturnVisitQuery['status']) }))}
          options={[
            { value: 'pending', label: t('servicedesk.visitStatuses.pending') },
            { value: 'due', label: t('servicedesk.visits.dueNow') },
            { value: 'unreachable', label: t('servicedesk.visitStatuses.unreachable') },
            { value: 'done', label: t('servicedesk.visitStatuses.done') },
            { value: 'failed', label: t('servicedesk.visitStatuses.failed') },
            { value: 'all', label: t('common.all') },
          ]}
          style={{ marginBottom: 16 }}
          data-testid="visit-filter"
        />
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<ReturnVisitItem>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('servicedesk.visits.empty') }}
          onRow={(r) => ({ 'data-testid': 'visit-row', 'data-no': r.ticketNo }) as HTMLAttributes<HTMLElement>}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setQuery((x) => ({ ...x, page, pageSize })),
          }}
          columns={[
            {
              title: t('servicedesk.ticket.no'),
              dataIndex: 'ticketNo',
              render: (v: string, r) => (
                <Flex vertical>
                  <Link to={`/tickets/${r.ticketId}`}>{v}</Link>
                  <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 240 }}>
                    {r.ticketTitle}
                  </Typography.Text>
                </Flex>
              ),
            },
            ...(community ? [] : [{ title: t('servicedesk.ticket.community'), dataIndex: 'communityName' }]),
            { title: t('servicedesk.ticket.kind'), dataIndex: 'kind', render: (k: ReturnVisitItem['kind']) => t(`servicedesk.kinds.${k}`) },
            {
              title: t('servicedesk.visits.reason'),
              key: 'reason',
              render: (_: unknown, r: ReturnVisitItem) => (
                <Flex gap={4} wrap>
                  <Tag>{t(`servicedesk.visitReasons.${r.reason as 'sample'}`, { defaultValue: r.reason })}</Tag>
                  {r.mandatory && (
                    <Tag color="red" data-testid="visit-mandatory">
                      {t('servicedesk.visits.mandatory')}
                    </Tag>
                  )}
                </Flex>
              ),
            },
            {
              title: t('servicedesk.ticket.reporter'),
              key: 'reporter',
              render: (_: unknown, r: ReturnVisitItem) => (
                <span style={{ whiteSpace: 'nowrap' }}>
                  {r.reporterName ?? '—'} {r.reporterPhone && <Typography.Text copyable={{ text: r.reporterPhone }}>{r.reporterPhone}</Typography.Text>}
                </span>
              ),
            },
            { title: t('common.status'), dataIndex: 'status', render: (s: ReturnVisitItem['status']) => <Tag color={s === 'done' ? 'success' : s === 'failed' ? 'error' : s === 'unreachable' ? 'warning' : 'processing'}>{t(`servicedesk.visitStatuses.${s}`)}</Tag> },
            { title: t('servicedesk.visits.attempts'), dataIndex: 'attempts', align: 'right' as const },
            {
              title: t('servicedesk.visits.nextAttempt'),
              dataIndex: 'nextAttemptAt',
              render: (v: string, r) =>
                r.status === 'pending' || r.status === 'unreachable' ? (
                  <Typography.Text type={Date.parse(v) <= now ? 'danger' : undefined} style={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(v)}
                  </Typography.Text>
                ) : (
                  '—'
                ),
            },
            { title: t('servicedesk.visits.satisfaction'), dataIndex: 'satisfaction', render: (v: number | null) => (v ? <Rate disabled value={v} style={{ fontSize: 12 }} /> : '—') },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: 'right' as const,
              render: (_: unknown, r: ReturnVisitItem) =>
                r.status === 'pending' || r.status === 'unreachable' ? (
                  <Button type="link" size="small" icon={<PhoneOutlined />} onClick={() => setRecording(r)} data-testid="visit-record">
                    {t('servicedesk.visits.record')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <RecordVisitModal visit={recording} onClose={() => setRecording(null)} />
    </>
  );
}
