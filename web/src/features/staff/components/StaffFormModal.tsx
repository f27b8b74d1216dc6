import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { createStaffBody } from '../../../../../src/modules/staff/schema.ts';
import { compact, showServerErrors, zodField, zodRule } from '../../../lib/form.ts';
import { useCommunities } from '../../communities/api.ts';
import { useRoles } from '../../roles/api.ts';
import { roleName } from '../../roles/labels.ts';
import { currentLang } from '../../../i18n/index.ts';
import { useCreateStaff, useUpdateStaff, type CreatedStaff, type StaffMember } from '../api.ts';

interface Values {
  username: string;
  displayName: string;
  phone?: string;
  password?: string;
  roleIds: string[];
  allCommunities: boolean;
  communityIds: string[];
}

const shape = createStaffBody.shape;

/** Create (staff undefined) or edit one staff account. */
export function StaffFormModal({
  open,
  staff,
  onClose,
  onCreated,
}: {
  open: boolean;
  staff?: StaffMember;
  onClose: () => void;
  onCreated: (result: CreatedStaff) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const roles = useRoles();
  const communities = useCommunities({ pageSize: 200 }, open);
  const create = useCreateStaff();
  const update = useUpdateStaff();
  const allCommunities = Form.useWatch('allCommunities', form);
  const editing = Boolean(staff);

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    form.resetFields();
    if (staff) {
      form.setFieldsValue({
        displayName: staff.displayName,
        phone: staff.phone ?? undefined,
        roleIds: staff.roles.map((r) => r.id),
        allCommunities: staff.allCommunities,
        communityIds: staff.communities.map((c) => c.id),
      });
    }
  }, [open, staff, form]);

  const submit = async () => {
    // A failed check marks the fields; there is nothing more to do.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const onError = (err: unknown) => setFormError(showServerErrors(form, err));
    const communityIds = v.allCommunities ? [] : (v.communityIds ?? []);
    if (staff) {
      // The list may show a masked phone; only send it when the user actually changed it.
      const phone = (v.phone ?? '').trim();
      const phoneChanged = phone !== (staff.phone ?? '');
      update.mutate(
        {
          id: staff.id,
          input: {
            displayName: v.displayName,
            roleIds: v.roleIds,
            allCommunities: v.allCommunities,
            communityIds,
            ...(phoneChanged && { phone: phone === '' ? null : phone }),
          },
        },
        { onSuccess: onClose, onError },
      );
    } else {
      create.mutate(compact({ ...v, communityIds }), {
        onSuccess: (result) => {
          onClose();
          onCreated(result);
        },
        onError,
      });
    }
  };

  const roleOptions = (roles.data?.items ?? []).filter((r) => r.builtinKey !== 'owner').map((r) => ({ value: r.id, label: roleName(r.name, currentLang(), r.builtinKey) }));
  const communityOptions = (communities.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name}（${c.code}）` }));

  return (
    <Modal
      open={open}
      title={editing ? t('staff.edit') : t('staff.create')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      width={560}
      okButtonProps={{ 'data-testid': 'staff-form-submit' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={{ allCommunities: false, roleIds: [], communityIds: [] }} preserve={false}>
        {!editing && (
          <Form.Item name="username" label={t('staff.username')} {...zodField(shape.username, 'validation.username')} extra={t('validation.username')}>
            <Input autoComplete="off" data-testid="staff-username" />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t('staff.displayName')} {...zodField(shape.displayName)}>
          <Input data-testid="staff-display-name" />
        </Form.Item>
        {/* The list may hold a masked phone (138****0010): it passes as long as the user leaves it alone. */}
        <Form.Item name="phone" label={t('staff.phone')} rules={[zodRule(shape.phone, 'validation.format', staff?.phone ?? undefined)]}>
          <Input inputMode="tel" maxLength={11} />
        </Form.Item>
        {!editing && (
          <Form.Item name="password" label={t('staff.password')} extra={t('staff.passwordHint')} {...zodField(shape.password)}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item name="roleIds" label={t('staff.roles')} {...zodField(shape.roleIds)}>
          <Select mode="multiple" options={roleOptions} loading={roles.isPending} placeholder={t('staff.rolesPlaceholder')} optionFilterProp="label" data-testid="staff-roles" />
        </Form.Item>
        <Form.Item name="allCommunities" label={t('staff.allCommunities')} valuePropName="checked" extra={t('staff.allCommunitiesHint')}>
          <Switch />
        </Form.Item>
        {!allCommunities && (
          <Form.Item name="communityIds" label={t('staff.communities')}>
            <Select mode="multiple" options={communityOptions} loading={communities.isPending} placeholder={t('staff.communitiesPlaceholder')} optionFilterProp="label" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
