import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { createUnitBody } from '../../../../../src/modules/estate/schema.ts';
import { showServerErrors, zodField } from '../../../lib/form.ts';
import { useAddUnit, type Building } from '../api.ts';

/** Adds a unit entrance (单元) to a building. */
export function UnitFormModal({ building, onClose }: { building: Building | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string }>();
  const [formError, setFormError] = useState<string | null>(null);
  const add = useAddUnit();

  useEffect(() => {
    if (!building) return;
    setFormError(null);
    form.resetFields();
  }, [building, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !building) return;
    setFormError(null);
    add.mutate({ buildingId: building.id, name: v.name }, { onSuccess: onClose, onError: (err) => setFormError(showServerErrors(form, err)) });
  };

  return (
    <Modal
      open={building !== null}
      title={t('estate.addUnitTo', { building: building?.name ?? '' })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={add.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'unit-form-submit' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ name: building ? t('estate.unitName', { n: building.units.length + 1 }) : '' }}>
        <Form.Item name="name" label={t('estate.unitNameLabel')} {...zodField(createUnitBody.shape.name)}>
          <Input maxLength={40} data-testid="unit-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
