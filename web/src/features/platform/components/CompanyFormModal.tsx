import { useEffect, useState } from 'react';
import { Alert, Divider, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { createCompanyBody } from '../../../../../src/modules/platform/schema.ts';
import { compact, showServerErrors, zodField } from '../../../lib/form.ts';
import { useCreateCompany, useUpdateCompany, type Company, type CreatedCompany } from '../api.ts';

interface Values {
  name: string;
  code: string;
  contactPhone?: string;
  admin: { username: string; displayName: string; password?: string };
}

const shape = createCompanyBody.shape;
const adminShape = createCompanyBody.shape.admin.shape;

/** New company with its first administrator, or rename / change the contact phone of an existing one. */
export function CompanyFormModal({
  open,
  company,
  onClose,
  onCreated,
}: {
  open: boolean;
  company?: Company;
  onClose: () => void;
  onCreated: (r: CreatedCompany, adminUsername: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateCompany();
  const update = useUpdateCompany();

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    form.resetFields();
    if (company) form.setFieldsValue({ name: company.name, code: company.code, contactPhone: company.contactPhone ?? undefined });
  }, [open, company, form]);

  const submit = async () => {
    // A failed check marks the fields; there is nothing more to do.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const onError = (err: unknown) => setFormError(showServerErrors(form, err));
    if (company) {
      const phone = v.contactPhone?.trim() ?? '';
      update.mutate({ id: company.id, input: { name: v.name, contactPhone: phone === '' ? null : phone } }, { onSuccess: onClose, onError });
    } else {
      const input = { ...compact({ name: v.name, code: v.code, contactPhone: v.contactPhone }), admin: compact(v.admin) };
      create.mutate(input, {
        onSuccess: (r) => {
          onClose();
          onCreated(r, v.admin.username);
        },
        onError,
      });
    }
  };

  return (
    <Modal
      open={open}
      title={company ? t('platform.edit') : t('platform.create')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      width={560}
      destroyOnHidden
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="name" label={t('platform.name')} {...zodField(shape.name)}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="code" label={t('platform.code')} extra={company ? undefined : t('platform.codeHint')} {...(company ? {} : zodField(shape.code, 'validation.companyCode'))}>
          <Input maxLength={32} disabled={Boolean(company)} />
        </Form.Item>
        <Form.Item name="contactPhone" label={t('platform.contactPhone')} {...zodField(shape.contactPhone)}>
          <Input inputMode="tel" maxLength={11} />
        </Form.Item>
        {!company && (
          <>
            <Divider titlePlacement="start" plain>
              {t('platform.firstAdmin')}
            </Divider>
            <Form.Item name={['admin', 'username']} label={t('platform.adminUsername')} extra={t('validation.username')} {...zodField(adminShape.username, 'validation.username')}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name={['admin', 'displayName']} label={t('platform.adminName')} {...zodField(adminShape.displayName)}>
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item name={['admin', 'password']} label={t('platform.adminPassword')} extra={t('staff.passwordHint')} {...zodField(adminShape.password)}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
