import { useEffect, useState } from 'react';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { createOwnerBody } from '../../../../../src/modules/owner/schema.ts';
import { showServerErrors, zodField } from '../../../lib/form.ts';
import { useCreateOwner, type CreateOwnerInput } from '../api.ts';

export function OwnerFormModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateOwnerInput>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateOwner();

  useEffect(() => {
    if (open) {
      setFormError(null);
      form.resetFields();
    }
  }, [open, form]);

  const submit = async () => {
    // A failed check marks the fields; there is nothing more to do.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    create.mutate(v, {
      onSuccess: () => {
        void message.success(t('common.created'));
        onClose();
      },
      onError: (err) => setFormError(showServerErrors(form, err)),
    });
  };

  return (
    <Modal open={open} title={t('owners.create')} onCancel={onClose} onOk={() => void submit()} okText={t('common.save')} confirmLoading={create.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'owner-form-submit' }}>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="displayName" label={t('owners.displayName')} {...zodField(createOwnerBody.shape.displayName)}>
          <Input maxLength={40} data-testid="owner-display-name" />
        </Form.Item>
        <Form.Item name="phone" label={t('owners.phone')} {...zodField(createOwnerBody.shape.phone)}>
          <Input inputMode="tel" maxLength={11} data-testid="owner-phone" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
