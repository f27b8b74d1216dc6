import { useState } from 'react';
import { Alert, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { dispatchBody } from '../../../../../src/modules/servicedesk/schema.ts';
import { compact, showServerErrors, zodField } from '../../../lib/form.ts';
import { useTicketStep, type TicketDetail } from '../api.ts';
import { useGroups, useWorkers } from '../config-api.ts';

type Mode = 'person' | 'pool' | 'roundRobin';

interface Values {
  mode: Mode;
  assigneeId?: string;
  groupId?: string;
  note?: string;
}

/** 派单: to a person, into a group's grab pool (抢单), or to the next member of a group in turn (轮流派单). */
export function DispatchModal({ ticket, open, onClose, onDone }: { ticket: TicketDetail; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const step = useTicketStep();
  const mode = Form.useWatch('mode', form) ?? 'person';
  const workers = useWorkers(ticket.communityId);
  const groups = useGroups(ticket.communityId);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const body = compact({
      assigneeId: v.mode === 'person' ? v.assigneeId : undefined,
      poolGroupId: v.mode === 'pool' ? v.groupId : undefined,
      roundRobinGroupId: v.mode === 'roundRobin' ? v.groupId : undefined,
      note: v.note?.trim() || undefined,
    });
    step.mutate(
      { id: ticket.id, path: 'dispatch', body },
      {
        onSuccess: () => {
          onClose();
          onDone();
        },
        onError: (err) => setFormError(showServerErrors(form, err, { poolGroupId: 'groupId', roundRobinGroupId: 'groupId' })),
      },
    );
  };

  const groupOptions = (groups.data?.items ?? []).map((g) => ({ value: g.id, label: `${g.name}（${t('servicedesk.groups.memberCount', { count: g.members.length })}）` }));
  return (
    <Modal
      open={open}
      title={t('servicedesk.actions.dispatch')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('servicedesk.actions.dispatch')}
      okButtonProps={{ 'data-testid': 'dispatch-submit' }}
      confirmLoading={step.isPending}
      destroyOnHidden
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="dispatch-error" />}
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={{ mode: 'person' }} onValuesChange={(c: Partial<Values>) => c.mode && form.setFieldsValue({ groupId: undefined, assigneeId: undefined })}>
        <Form.Item name="mode" label={t('servicedesk.dispatch.mode')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={(['person', 'pool', 'roundRobin'] as const).map((m) => ({ value: m, label: t(`servicedesk.dispatch.modes.${m}`) }))}
            data-testid="dispatch-mode"
          />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t(`servicedesk.dispatch.hints.${mode}`)}
        </Typography.Paragraph>
        {mode === 'person' ? (
          <Form.Item name="assigneeId" label={t('servicedesk.dispatch.person')} rules={[{ required: true, message: t('validation.required') }, ...zodField(dispatchBody.shape.assigneeId).rules]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={workers.isPending}
              placeholder={t('servicedesk.dispatch.personPlaceholder')}
              notFoundContent={t('servicedesk.dispatch.noWorkers')}
              options={(workers.data ?? []).map((w) => ({ value: w.id, label: w.name }))}
              data-testid="dispatch-assignee"
            />
          </Form.Item>
        ) : (
          <Form.Item name="groupId" label={t('servicedesk.dispatch.group')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select
              loading={groups.isPending}
              placeholder={t('servicedesk.dispatch.groupPlaceholder')}
              notFoundContent={t('servicedesk.dispatch.noGroups')}
              options={groupOptions}
              data-testid="dispatch-group"
            />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('servicedesk.form.note')} {...zodField(dispatchBody.shape.note)}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('common.optional')} data-testid="dispatch-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
