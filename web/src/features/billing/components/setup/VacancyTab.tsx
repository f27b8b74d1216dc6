import { useState } from 'react';
import { Alert, App, Button, DatePicker, Flex, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../../components/QueryError.tsx';
import { formatDateTime } from '../../../../lib/format.ts';
import { showServerErrors, toDate } from '../../../../lib/form.ts';
import { useAbilities } from '../../../auth/api.ts';
import { useApproveVacancy, useEndVacancy, useVacancyApprovals, type VacancyApproval } from '../../api-setup.ts';
import { RoomLink, RoomSelect } from './Pickers.tsx';

function ApproveModal({ open, communityId, onClose }: { open: boolean; communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ roomId: string; startDate: Dayjs; endDate?: Dayjs; note?: string }>();
  const [formError, setFormError] = useState<string | null>(null);
  const approve = useApproveVacancy();
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    approve.mutate(
      { roomId: v.roomId, startDate: toDate(v.startDate)!, endDate: toDate(v.endDate) ?? null, note: v.note?.trim() || undefined },
      {
        onSuccess: () => {
          void message.success(t('billingSetup.vacancy.approved'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };
  return (
    <Modal open={open} title={t('billingSetup.vacancy.approve')} onCancel={onClose} onOk={() => void submit()} confirmLoading={approve.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'vacancy-submit' }}>
      <Alert type="info" showIcon title={t('billingSetup.vacancy.hint')} style={{ marginBottom: 16 }} />
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ startDate: dayjs() }}>
        <Form.Item name="roomId" label={t('billingSetup.bindings.room')} rules={[{ required: true, message: t('validation.required') }]}>
          <RoomSelect communityId={communityId} testId="vacancy-room" />
        </Form.Item>
        <Flex gap={8}>
          <Form.Item name="startDate" label={t('billingSetup.bindings.startDate')} rules={[{ required: true, message: t('validation.required') }]} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="endDate" label={t('billingSetup.bindings.endDate')} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} placeholder={t('billingSetup.bindings.openEnded')} />
          </Form.Item>
        </Flex>
        <Form.Item name="note" label={t('billingSetup.bindings.note')}>
          <Input maxLength={200} placeholder={t('common.optional')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EndModal({ approval, onClose }: { approval: VacancyApproval | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ endDate: Dayjs }>();
  const [formError, setFormError] = useState<string | null>(null);
  const end = useEndVacancy();
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !approval) return;
    setFormError(null);
    end.mutate(
      { id: approval.id, endDate: toDate(v.endDate)! },
      {
        onSuccess: () => {
          void message.success(t('common.saved'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };
  return (
    <Modal open={approval !== null} title={t('billingSetup.vacancy.end')} onCancel={onClose} onOk={() => void submit()} confirmLoading={end.isPending} destroyOnHidden>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ endDate: dayjs() }}>
        <Form.Item name="endDate" label={t('billingSetup.bindings.endDate')} rules={[{ required: true, message: t('validation.required') }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 空置房认定: vacant rooms approved for the items' vacancy discount, over a date range. */
export function VacancyTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const manage = can('billing.manage');
  const today = dayjs().format('YYYY-MM-DD');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [approving, setApproving] = useState(false);
  const [ending, setEnding] = useState<VacancyApproval | null>(null);
  const list = useVacancyApprovals({ ...paging, communityId });

  return (
    <>
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('billingSetup.vacancy.subtitle')}</Typography.Text>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setApproving(true)} data-testid="vacancy-new">
            {t('billingSetup.vacancy.approve')}
          </Button>
        )}
      </Flex>
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table<VacancyApproval>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('billingSetup.vacancy.empty') }}
        data-testid="vacancy-table"
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total ?? 0,
          hideOnSinglePage: true,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('billingSetup.bindings.room'), dataIndex: 'roomId', render: (id: string) => <RoomLink roomId={id} /> },
          { title: t('billingSetup.bindings.startDate'), dataIndex: 'startDate' },
          {
            title: t('billingSetup.bindings.endDate'),
            dataIndex: 'endDate',
            render: (v: string | null) => (v ? <Flex gap={6}>{v}{v < today && <Tag>{t('billingSetup.bindings.ended')}</Tag>}</Flex> : <Tag color="orange">{t('billingSetup.vacancy.ongoing')}</Tag>),
          },
          { title: t('billingSetup.bindings.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
          { title: t('billingSetup.vacancy.approvedBy'), dataIndex: 'approvedBy', render: (v: string | null) => v ?? '—' },
          { title: t('billingSetup.vacancy.approvedAt'), dataIndex: 'createdAt', render: formatDateTime },
          ...(manage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  fixed: 'right' as const,
                  render: (_: unknown, r: VacancyApproval) =>
                    !r.endDate || r.endDate >= today ? (
                      <Button type="link" size="small" onClick={() => setEnding(r)}>
                        {t('billingSetup.vacancy.end')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <ApproveModal open={approving} communityId={communityId} onClose={() => setApproving(false)} />
      <EndModal approval={ending} onClose={() => setEnding(null)} />
    </>
  );
}
