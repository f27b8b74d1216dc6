import { useState } from 'react';
import { Alert, DatePicker, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { acceptBody, completeBody, extendBody, reasonBody, replyBody, stepBody, transferBody } from '../../../../../src/modules/servicedesk/schema.ts';
import { compact, showServerErrors, zodField } from '../../../lib/form.ts';
import { useTicketStep, type StepBodies, type StepPath, type TicketAction, type TicketDetail } from '../api.ts';
import { useWorkers } from '../config-api.ts';
import { PhotoUpload } from './PhotoUpload.tsx';

/** The steps the detail page offers besides dispatch, plus extending a deadline. */
export type ModalAction = Exclude<TicketAction, 'dispatch' | 'confirm' | 'rework' | 'returnVisit'> | 'extend';

const PATH: Record<ModalAction, StepPath> = {
  accept: 'accept',
  grab: 'grab',
  acknowledge: 'acknowledge',
  transfer: 'transfer',
  handBack: 'hand-back',
  arrive: 'arrive',
  start: 'start',
  reply: 'reply',
  complete: 'complete',
  close: 'close',
  pause: 'pause',
  resume: 'resume',
  cancel: 'cancel',
  extend: 'extend',
};

/** Steps whose body is a required reason. */
const REASON: readonly ModalAction[] = ['handBack', 'pause', 'cancel'];
/** Steps with an optional note and on-site photos. */
const STEP: readonly ModalAction[] = ['acknowledge', 'arrive', 'start', 'resume'];

interface Values {
  note?: string;
  reason?: string;
  text?: string;
  replyText?: string;
  chargeYuan?: number;
  photoFileIds?: string[];
  assigneeId?: string;
  clock?: string;
  dueAt?: Dayjs;
}

/** The body each step takes, from the form's values. */
function bodyOf(action: ModalAction, v: Values): StepBodies[StepPath] {
  const note = v.note?.trim() || undefined;
  if (REASON.includes(action)) return { reason: v.reason!.trim() };
  if (STEP.includes(action)) return compact({ note, photoFileIds: v.photoFileIds ?? [] });
  switch (action) {
    case 'transfer':
      return { assigneeId: v.assigneeId!, reason: v.reason!.trim() };
    case 'reply':
      return { text: v.text!.trim() };
    case 'complete':
      return compact({
        note,
        replyText: v.replyText?.trim() || undefined,
        photoFileIds: v.photoFileIds ?? [],
        // The form takes 元; the API counts 分.
        chargeFen: v.chargeYuan === undefined || v.chargeYuan === null ? undefined : Math.round(v.chargeYuan * 100),
      });
    case 'extend':
      return { clock: v.clock as 'respond', dueAt: v.dueAt!.format(), reason: v.reason!.trim() };
    case 'grab':
      return {};
    default:
      return compact({ note });
  }
}

/** One step on a ticket, with the fields that step needs; the server's field errors show beside them. */
export function ActionModal({ ticket, action, onClose, onDone }: { ticket: TicketDetail; action: ModalAction | null; onClose: () => void; onDone: (action: ModalAction) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const step = useTicketStep();
  const workers = useWorkers(ticket.communityId);

  const submit = async () => {
    if (!action) return;
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    step.mutate(
      { id: ticket.id, path: PATH[action], body: bodyOf(action, v) },
      {
        onSuccess: () => {
          onClose();
          onDone(action);
        },
        onError: (err) => setFormError(showServerErrors(form, err, { chargeFen: 'chargeYuan', text: 'text' })),
      },
    );
  };

  const openClocks = ticket.clocks.filter((c) => !c.doneAt);
  const danger = action === 'cancel';
  return (
    <Modal
      open={action !== null}
      title={action ? t(`servicedesk.actions.${action}`) : ''}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={action ? t(`servicedesk.actions.${action}`) : ''}
      okButtonProps={{ danger, 'data-testid': 'action-submit' }}
      confirmLoading={step.isPending}
      destroyOnHidden
      width={action === 'complete' ? 640 : 520}
    >
      {action && (
        <Typography.Paragraph type="secondary">{t(`servicedesk.actionHints.${action}`, { no: ticket.no })}</Typography.Paragraph>
      )}
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="action-error" />}
      {action && (
        <Form<Values>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={action === 'extend' ? { clock: openClocks[0]?.clock, dueAt: openClocks[0] ? dayjs(openClocks[0].dueAt).add(1, 'day') : undefined } : {}}
        >
          {action === 'transfer' && (
            <Form.Item name="assigneeId" label={t('servicedesk.dispatch.person')} {...zodField(transferBody.shape.assigneeId)}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={workers.isPending}
                options={(workers.data ?? []).filter((w) => w.id !== ticket.assigneeId).map((w) => ({ value: w.id, label: w.name }))}
                data-testid="action-assignee"
              />
            </Form.Item>
          )}
          {action === 'extend' && (
            <>
              <Form.Item name="clock" label={t('servicedesk.extend.clock')} {...zodField(extendBody.shape.clock)}>
                <Select options={openClocks.map((c) => ({ value: c.clock, label: t(`servicedesk.clocks.${c.clock}`) }))} data-testid="action-clock" />
              </Form.Item>
              <Form.Item name="dueAt" label={t('servicedesk.extend.dueAt')} rules={[{ required: true, message: t('validation.required') }]}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} data-testid="action-due-at" />
              </Form.Item>
            </>
          )}
          {(REASON.includes(action) || action === 'transfer' || action === 'extend') && (
            <Form.Item name="reason" label={t('servicedesk.form.reason')} {...zodField(reasonBody.shape.reason)}>
              <Input.TextArea rows={3} maxLength={500} data-testid="action-reason" />
            </Form.Item>
          )}
          {action === 'reply' && (
            <Form.Item name="text" label={t('servicedesk.form.replyText')} {...zodField(replyBody.shape.text)}>
              <Input.TextArea rows={4} maxLength={2000} data-testid="action-text" />
            </Form.Item>
          )}
          {(action === 'accept' || action === 'close' || STEP.includes(action) || action === 'complete') && (
            <Form.Item name="note" label={t('servicedesk.form.note')} {...zodField(action === 'complete' ? completeBody.shape.note : action === 'accept' || action === 'close' ? acceptBody.shape.note : stepBody.shape.note)}>
              <Input.TextArea rows={2} maxLength={action === 'complete' ? 1000 : 500} placeholder={t('common.optional')} data-testid="action-note" />
            </Form.Item>
          )}
          {action === 'complete' && (
            <>
              <Form.Item
                name="replyText"
                label={t('servicedesk.form.replyText')}
                extra={ticket.kind === 'complaint' || ticket.kind === 'inquiry' ? t('servicedesk.form.replyTextHint') : undefined}
                {...zodField(completeBody.shape.replyText)}
              >
                <Input.TextArea rows={3} maxLength={2000} placeholder={t('common.optional')} data-testid="action-reply-text" />
              </Form.Item>
              <Form.Item name="chargeYuan" label={t('servicedesk.form.charge')} extra={t('servicedesk.form.chargeHint')}>
                <InputNumber min={0} max={1_000_000} precision={2} step={1} prefix="¥" style={{ width: 200 }} data-testid="action-charge" />
              </Form.Item>
            </>
          )}
          {(action === 'complete' || STEP.includes(action)) && (
            <Form.Item name="photoFileIds" label={t('servicedesk.form.photos')}>
              <PhotoUpload testId="action-photos" />
            </Form.Item>
          )}
        </Form>
      )}
    </Modal>
  );
}
