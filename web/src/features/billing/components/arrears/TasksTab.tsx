import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, DatePicker, Flex, Form, Input, Modal, Radio, Segmented, Switch, Table, Typography } from 'antd';
import { EditOutlined, SwapOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { OUTCOMES, outcomeBody } from '../../../../../../src/modules/billing/collection-schema.ts';
import { QueryError } from '../../../../components/QueryError.tsx';
import { formatDateTime } from '../../../../lib/format.ts';
import { showServerErrors, zodField } from '../../../../lib/form.ts';
import { useAssignTask, useRecordOutcome, useTasks, type CollectionTask, type Outcome, type TaskQuery } from '../../api-arrears.ts';
import { TaskStateTag } from './labels.tsx';
import { CollectorSelect, Money, useCollectors } from './shared.tsx';

interface OutcomeValues {
  outcome: Outcome;
  promisedDate?: Dayjs;
  note: string;
}

/** How the visit or call went; closes the task. */
function OutcomeModal({ task, onClose }: { task: CollectionTask | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<OutcomeValues>();
  const [formError, setFormError] = useState<string | null>(null);
  const record = useRecordOutcome();
  const outcome = Form.useWatch('outcome', form);

  const submit = async () => {
    if (!task) return;
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    record.mutate(
      { id: task.id, body: { outcome: v.outcome, promisedDate: v.outcome === 'promised' ? v.promisedDate?.format('YYYY-MM-DD') : undefined, note: v.note.trim() } },
      {
        onSuccess: () => {
          void message.success(t('billingArrears.tasks.recorded'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <Modal
      open={task !== null}
      title={task ? `${t('billingArrears.tasks.record')} · ${task.roomLabel}` : ''}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={record.isPending}
      okButtonProps={{ 'data-testid': 'outcome-submit' }}
      destroyOnHidden
      width={560}
    >
      {task && (
        <Typography.Paragraph type="secondary">
          {task.ownerName ?? '—'} {task.ownerPhone ?? ''} · {t('billingArrears.tasks.owedNow')} ¥<Money fen={task.currentOwedFen} />
        </Typography.Paragraph>
      )}
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form<OutcomeValues> form={form} layout="vertical" preserve={false}>
        <Form.Item name="outcome" label={t('billingArrears.tasks.result')} rules={[{ required: true, message: t('billingArrears.common.required') }]}>
          <Radio.Group optionType="button" buttonStyle="solid" options={OUTCOMES.map((o) => ({ value: o, label: t(`billingArrears.tasks.outcome.${o}`) }))} data-testid="outcome-choice" />
        </Form.Item>
        {outcome === 'promised' && (
          <Form.Item name="promisedDate" label={t('billingArrears.tasks.promisedDate')} rules={[{ required: true, message: t('billingArrears.common.required') }]}>
            <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} data-testid="outcome-promised-date" />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('billingArrears.tasks.note')} {...zodField(outcomeBody.shape.note)}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('billingArrears.tasks.notePlaceholder')} data-testid="outcome-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Gives an open task to another collector of its community. */
function AssignModal({ task, onClose }: { task: CollectionTask | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ assigneeId: string }>();
  const [formError, setFormError] = useState<string | null>(null);
  const assign = useAssignTask();
  const collectors = useCollectors(task?.communityId);

  const submit = async () => {
    if (!task) return;
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    assign.mutate(
      { id: task.id, body: { assigneeId: v.assigneeId } },
      {
        onSuccess: (r) => {
          void message.success(t('billingArrears.tasks.reassigned', { name: r.assigneeName ?? collectors.items.find((s) => s.id === v.assigneeId)?.displayName ?? '' }));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <Modal open={task !== null} title={task ? `${t('billingArrears.tasks.reassign')} · ${task.roomLabel}` : ''} onCancel={onClose} onOk={() => void submit()} confirmLoading={assign.isPending} okButtonProps={{ 'data-testid': 'assign-submit' }} destroyOnHidden>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ assigneeId: task?.assigneeId ?? undefined }}>
        <Form.Item name="assigneeId" label={t('billingArrears.tasks.newAssignee')} rules={[{ required: true, message: t('billingArrears.common.required') }]}>
          <CollectorSelect communityId={task?.communityId} allowClear={false} testId="assign-select" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type StatusFilter = 'open' | 'done' | 'all';

/** 催缴任务: collectors see theirs; billing managers every task of their communities, and may reassign. */
export function TasksTab({ communityId, canManage }: { communityId: string | undefined; canManage: boolean }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<StatusFilter>('open');
  const [mine, setMine] = useState(!canManage);
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [recording, setRecording] = useState<CollectionTask | null>(null);
  const [assigning, setAssigning] = useState<CollectionTask | null>(null);
  const query: TaskQuery = { communityId, status: status === 'all' ? undefined : status, mine: canManage ? (mine ? 'true' : 'false') : 'true', ...page };
  const q = useTasks(query);

  return (
    <div data-testid="collection-tasks">
      <Flex gap={12} align="center" wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={status}
          onChange={(v) => {
            setStatus(v as StatusFilter);
            setPage((p) => ({ ...p, page: 1 }));
          }}
          options={[
            { value: 'open', label: t('billingArrears.tasks.status.open') },
            { value: 'done', label: t('billingArrears.tasks.status.done') },
            { value: 'all', label: t('billingArrears.common.all') },
          ]}
          data-testid="tasks-status"
        />
        {canManage && (
          <Flex gap={6} align="center">
            <Switch
              checked={mine}
              onChange={(v) => {
                setMine(v);
                setPage((p) => ({ ...p, page: 1 }));
              }}
              size="small"
              data-testid="tasks-mine"
            />
            <Typography.Text>{t('billingArrears.tasks.mine')}</Typography.Text>
          </Flex>
        )}
      </Flex>
      {q.error && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      <Table<CollectionTask>
        size="small"
        rowKey="id"
        dataSource={q.data?.items ?? []}
        loading={q.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('billingArrears.tasks.empty') }}
        data-testid="tasks-table"
        onRow={(r) => ({ 'data-testid': 'task-row', 'data-status': r.status }) as HTMLAttributes<HTMLTableRowElement>}
        pagination={{ current: page.page, pageSize: page.pageSize, total: q.data?.total ?? 0, showSizeChanger: true, onChange: (p, s) => setPage({ page: s === page.pageSize ? p : 1, pageSize: s }) }}
        columns={[
          { title: t('billingArrears.common.room'), dataIndex: 'roomLabel', fixed: 'left', render: (v: string, r) => <Link to={`/estate/rooms/${r.roomId}`}>{v}</Link> },
          ...(communityId ? [] : [{ title: t('billingArrears.common.community'), dataIndex: 'communityName' }]),
          {
            title: t('billingArrears.common.owner'),
            key: 'owner',
            render: (_: unknown, r: CollectionTask) => (
              <div>
                <div>{r.ownerName ?? '—'}</div>
                {r.ownerPhone && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.ownerPhone}</Typography.Text>}
              </div>
            ),
          },
          { title: t('billingArrears.tasks.owedThen'), dataIndex: 'owedFen', align: 'right' as const, render: (v: number) => <Money fen={v} /> },
          {
            title: t('billingArrears.tasks.owedNow'),
            dataIndex: 'currentOwedFen',
            align: 'right' as const,
            render: (v: number) => (v > 0 ? <Money fen={v} strong type="danger" /> : <Typography.Text type="success">{t('billingArrears.tasks.paidOff')}</Typography.Text>),
          },
          { title: t('billingArrears.tasks.campaign'), dataIndex: 'campaignTitle', render: (v: string | null) => v ?? '—' },
          { title: t('billingArrears.tasks.assignee'), dataIndex: 'assigneeName', render: (v: string | null) => v ?? <Typography.Text type="warning">{t('billingArrears.tasks.unassigned')}</Typography.Text> },
          {
            title: t('billingArrears.tasks.result'),
            key: 'state',
            render: (_: unknown, r: CollectionTask) => (
              <div>
                <TaskStateTag status={r.status} outcome={r.outcome} />
                {r.promisedDate && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.promisedDate}</Typography.Text></div>}
              </div>
            ),
          },
          {
            title: t('billingArrears.tasks.note'),
            dataIndex: 'note',
            width: 260,
            render: (v: string | null, r: CollectionTask) =>
              v ? (
                <div style={{ width: 240 }}>
                  <Typography.Text ellipsis={{ tooltip: v }} style={{ width: 240 }}>
                    {v}
                  </Typography.Text>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.doneBy ?? ''} {formatDateTime(r.doneAt)}
                    </Typography.Text>
                  </div>
                </div>
              ) : (
                '—'
              ),
          },
          {
            title: '',
            key: 'actions',
            fixed: 'right',
            render: (_: unknown, r: CollectionTask) =>
              r.status === 'open' ? (
                <Flex gap={4}>
                  <Button size="small" type="primary" icon={<EditOutlined />} onClick={() => setRecording(r)} data-testid="task-record">
                    {t('billingArrears.tasks.record')}
                  </Button>
                  {canManage && (
                    <Button size="small" icon={<SwapOutlined />} onClick={() => setAssigning(r)} data-testid="task-assign">
                      {t('billingArrears.tasks.reassign')}
                    </Button>
                  )}
                </Flex>
              ) : null,
          },
        ]}
      />
      <OutcomeModal task={recording} onClose={() => setRecording(null)} />
      <AssignModal task={assigning} onClose={() => setAssigning(null)} />
    </div>
  );
}
