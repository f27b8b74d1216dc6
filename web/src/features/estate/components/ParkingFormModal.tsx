import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { createParkingSpaceBody, PARKING_KINDS } from '../../../../../src/modules/estate/schema.ts';
import { CommunitySelect } from '../../../components/CommunitySelect.tsx';
import { showServerErrors, zodField } from '../../../lib/form.ts';
import { useCreateParkingSpace, useUpdateParkingSpace, type CreateParkingInput, type ParkingSpace } from '../api.ts';

const shape = createParkingSpaceBody.shape;

/** Create or edit a parking space (车位): area, number, kind, fixed or shared. */
export function ParkingFormModal({ open, space, communityId, onClose }: { open: boolean; space?: ParkingSpace; communityId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateParkingInput>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateParkingSpace();
  const update = useUpdateParkingSpace();

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    form.resetFields();
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const onError = (err: unknown) => setFormError(showServerErrors(form, err));
    if (space) update.mutate({ id: space.id, input: { area: v.area, number: v.number, kind: v.kind, mode: v.mode } }, { onSuccess: onClose, onError });
    else create.mutate(v, { onSuccess: onClose, onError });
  };

  return (
    <Modal
      open={open}
      title={space ? t('parking.edit') : t('parking.create')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'parking-form-submit' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={space ? { communityId: space.communityId, area: space.area, number: space.number, kind: space.kind, mode: space.mode } : { communityId, area: 'under', kind: 'standard', mode: 'shared' }}>
        <Form.Item name="communityId" label={t('room.community')} {...zodField(shape.communityId)}>
          <CommunitySelect width={240} />
        </Form.Item>
        <Form.Item name="area" label={t('parking.area')} {...zodField(shape.area)}>
          <Radio.Group optionType="button" options={(['under', 'above'] as const).map((a) => ({ value: a, label: t(`parking.areas.${a}`) }))} />
        </Form.Item>
        <Form.Item name="number" label={t('parking.number')} {...zodField(shape.number)}>
          <Input maxLength={20} placeholder="B1-001" data-testid="parking-number" />
        </Form.Item>
        <Form.Item name="kind" label={t('parking.kind')} {...zodField(shape.kind)}>
          <Select options={PARKING_KINDS.map((k) => ({ value: k, label: t(`parking.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="mode" label={t('parking.mode')} extra={t('parking.modeHint')} {...zodField(shape.mode)}>
          <Radio.Group options={(['fixed', 'shared'] as const).map((m) => ({ value: m, label: t(`parking.modes.${m}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
