import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { createCommunityBody } from '../../../../../src/modules/communities/schema.ts';
import { compact, showServerErrors, zodField } from '../../../lib/form.ts';
import { useCreateCommunity, useUpdateCommunity, type Community } from '../api.ts';

interface Values {
  name: string;
  code: string;
  address?: string;
  timeZone: string;
}

// Mainland China uses one zone; the others are there for communities in Hong Kong, Macau or Taiwan.
const TIME_ZONES = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Taipei'];

export function CommunityFormModal({ open, community, onClose }: { open: boolean; community?: Community; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateCommunity();
  const update = useUpdateCommunity();
  const shape = createCommunityBody.shape;

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    form.resetFields();
    if (community) form.setFieldsValue({ name: community.name, code: community.code, address: community.address ?? undefined, timeZone: community.timeZone });
  }, [open, community, form]);

  const submit = async () => {
    // A failed check marks the fields; there is nothing more to do.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const onError = (err: unknown) => setFormError(showServerErrors(form, err));
    if (community) {
      update.mutate({ id: community.id, input: { name: v.name, address: v.address?.trim() ? v.address : null } }, { onSuccess: onClose, onError });
    } else {
      create.mutate(compact({ ...v }), { onSuccess: onClose, onError });
    }
  };

  return (
    <Modal
      open={open}
      title={community ? t('communities.edit') : t('communities.create')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={{ timeZone: 'Asia/Shanghai' }} preserve={false}>
        <Form.Item name="name" label={t('communities.name')} {...zodField(shape.name)}>
          <Input maxLength={60} data-testid="community-name" />
        </Form.Item>
        <Form.Item name="code" label={t('communities.code')} extra={community ? undefined : t('communities.codeHint')} {...(community ? {} : zodField(shape.code, 'validation.communityCode'))}>
          <Input maxLength={32} disabled={Boolean(community)} />
        </Form.Item>
        <Form.Item name="address" label={t('communities.address')} {...zodField(shape.address)}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
        <Form.Item name="timeZone" label={t('communities.timeZone')}>
          <Select disabled={Boolean(community)} options={TIME_ZONES.map((z) => ({ value: z, label: z }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
