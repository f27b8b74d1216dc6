import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeStatusBody, ROOM_STATUSES } from '../../../../../src/modules/estate/schema.ts';
import { canChangeStatus } from '../../../../../src/modules/estate/rules.ts';
import { showServerErrors, zodField } from '../../../lib/form.ts';
import { useChangeRoomStatus, type RoomDetail, type RoomStatus } from '../api.ts';
import { RoomStatusTag } from './RoomStatusTag.tsx';

/**
 * Records a status change by hand, with its reason. Changes that belong to a workflow (move-in, move-out, renting)
 * are shown but disabled; the server refuses them too (422), and its message is shown by the field.
 */
export function StatusChangeModal({ room, open, onClose }: { room: RoomDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ status: RoomStatus; reason: string }>();
  const [formError, setFormError] = useState<string | null>(null);
  const change = useChangeRoomStatus();

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    form.resetFields();
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    change.mutate({ id: room.id, input: v }, { onSuccess: onClose, onError: (err) => setFormError(showServerErrors(form, err)) });
  };

  const options = ROOM_STATUSES.filter((s) => s !== room.status).map((s) => {
    const allowed = canChangeStatus(room.status, s);
    return {
      value: s,
      disabled: !allowed,
      label: allowed ? t(`estate.statuses.${s}`) : `${t(`estate.statuses.${s}`)}（${t('room.needsWorkflow')}）`,
    };
  });

  return (
    <Modal
      open={open}
      title={t('room.changeStatus')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={change.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'status-form-submit' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph>
        {t('room.currentStatus')}：<RoomStatusTag status={room.status} />
      </Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="status" label={t('room.newStatus')} {...zodField(changeStatusBody.shape.status)}>
          <Select options={options} data-testid="status-select" />
        </Form.Item>
        <Form.Item name="reason" label={t('room.reason')} {...zodField(changeStatusBody.shape.reason)}>
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="status-reason" />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('room.workflowHint')}
      </Typography.Text>
    </Modal>
  );
}
