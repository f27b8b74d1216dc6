import { useEffect, useState } from 'react';
import { Alert, DatePicker, Form, Input, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { endLinkBody, moveOutBody } from '../../../../../src/modules/residents/schema.ts';
import { showServerErrors, toDate, zodDateField, zodField } from '../../../lib/form.ts';
import { useEndLink, useMoveOut, type RoomLink } from '../api.ts';

/**
 * Ends one person's link to a room (`link`), or — for a whole-room move-out (`moveOutRoom`) — every current link;
 * the room then becomes vacant. History is kept either way.
 */
export function EndLinkModal({ link, moveOutRoom, onClose }: { link?: RoomLink | null; moveOutRoom?: { id: string; label: string } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ date: Dayjs; reason: string }>();
  const [formError, setFormError] = useState<string | null>(null);
  const end = useEndLink();
  const moveOut = useMoveOut();
  const open = Boolean(link || moveOutRoom);

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    form.resetFields();
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const date = toDate(v.date)!;
    if (link) {
      end.mutate({ linkId: link.id, input: { endDate: date, reason: v.reason } }, { onSuccess: onClose, onError: (err) => setFormError(showServerErrors(form, err, { endDate: 'date' })) });
    } else if (moveOutRoom) {
      moveOut.mutate({ roomId: moveOutRoom.id, input: { date, reason: v.reason } }, { onSuccess: onClose, onError: (err) => setFormError(showServerErrors(form, err)) });
    }
  };

  return (
    <Modal
      open={open}
      title={link ? t('household.endTitle', { name: link.residentName }) : t('household.moveOutTitle', { room: moveOutRoom?.label ?? '' })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={link ? t('household.end') : t('household.moveOut')}
      okButtonProps={{ danger: true, 'data-testid': 'end-form-submit' }}
      confirmLoading={end.isPending || moveOut.isPending}
      destroyOnHidden
    >
      {moveOutRoom && <Alert type="warning" showIcon title={t('household.moveOutHint')} style={{ marginBottom: 16 }} />}
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ date: dayjs() }}>
        <Form.Item name="date" label={link ? t('household.endDate') : t('household.moveOutDate')} {...zodDateField(link ? endLinkBody.shape.endDate : moveOutBody.shape.date)}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label={t('household.reason')} {...zodField(endLinkBody.shape.reason)}>
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="end-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
