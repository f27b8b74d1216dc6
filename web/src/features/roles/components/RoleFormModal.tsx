import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { createRoleBody } from '../../../../../src/modules/roles/schema.ts';
import { currentLang } from '../../../i18n/index.ts';
import { compact, showServerErrors, zodField } from '../../../lib/form.ts';
import { useCreateRole, useUpdateRole, type Role } from '../api.ts';
import { roleName } from '../labels.ts';
import { PermissionPicker } from './PermissionPicker.tsx';

export type RoleFormMode = { kind: 'create' } | { kind: 'edit'; role: Role } | { kind: 'copy'; role: Role };

interface Values {
  name: string;
  description?: string;
  permissions: string[];
}

export function RoleFormModal({ mode, onClose }: { mode: RoleFormMode | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateRole();
  const update = useUpdateRole();

  useEffect(() => {
    if (!mode) return;
    setFormError(null);
    form.resetFields();
    if (mode.kind === 'edit') {
      form.setFieldsValue({ name: mode.role.name, description: mode.role.description ?? undefined, permissions: mode.role.permissions });
    } else if (mode.kind === 'copy') {
      const source = roleName(mode.role.name, currentLang(), mode.role.builtinKey);
      form.setFieldsValue({ name: t('roles.copyOf', { name: source }).slice(0, 40), description: undefined, permissions: mode.role.permissions });
    }
  }, [mode, form, t]);

  const submit = async () => {
    // A failed check marks the fields; there is nothing more to do.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const onError = (err: unknown) => setFormError(showServerErrors(form, err));
    if (mode?.kind === 'edit') {
      update.mutate(
        { id: mode.role.id, input: { name: v.name, description: v.description?.trim() ? v.description : null, permissions: v.permissions } },
        { onSuccess: onClose, onError },
      );
    } else {
      create.mutate(compact({ name: v.name, description: v.description, permissions: v.permissions }), { onSuccess: onClose, onError });
    }
  };

  const title = mode?.kind === 'edit' ? t('roles.edit') : mode?.kind === 'copy' ? t('roles.copyTitle') : t('roles.create');
  return (
    <Modal
      open={mode !== null}
      title={title}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      width={880}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'role-form-submit' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={{ permissions: [] }} preserve={false}>
        <Form.Item name="name" label={t('roles.name')} {...zodField(createRoleBody.shape.name)}>
          <Input maxLength={40} data-testid="role-name" />
        </Form.Item>
        <Form.Item name="description" label={t('roles.description')} {...zodField(createRoleBody.shape.description)}>
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
        <Form.Item name="permissions" label={t('roles.permissions')} {...zodField(createRoleBody.shape.permissions)}>
          <PermissionPicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}
