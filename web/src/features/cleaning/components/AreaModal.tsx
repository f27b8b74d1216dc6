import { useEffect } from 'react';
import { App, Checkbox, Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api.ts';
import { type CleaningArea, useCreateArea, useTeamOptions, useUpdateArea } from '../api.ts';

interface Values {
  name: string;
  kind: 'cleaning' | 'greening';
  buildingId?: string | null;
  departmentId?: string | null;
  postId?: string | null;
  qrRequired: boolean;
  note?: string;
}

/** Add or edit an area: its name, kind, building and responsible team (a post of the roster, or a department). */
export function AreaModal({ communityId, area, open, onClose }: { communityId: string; area: CleaningArea | null; open: boolean; onClose: (id?: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateArea();
  const update = useUpdateArea(area?.id ?? '');
  const opts = useTeamOptions(communityId);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (area) form.setFieldsValue({ name: area.name, kind: area.kind, buildingId: area.building?.id ?? null, departmentId: area.department?.id ?? null, postId: area.post?.id ?? null, qrRequired: area.qrRequired, note: area.note ?? undefined });
  }, [open, area, form]);

  const submit = async (v: Values) => {
    const body = { name: v.name, kind: v.kind, buildingId: v.buildingId ?? null, departmentId: v.postId ? null : (v.departmentId ?? null), postId: v.postId ?? null, qrRequired: v.qrRequired, note: v.note || null };
    try {
      const saved = area ? await update.mutateAsync(body) : await create.mutateAsync({ communityId, ...body });
      onClose(saved.id);
    } catch (e) {
      if (isApiError(e) && e.fieldIssues.length) form.setFields(e.fieldIssues.map((f) => ({ name: f.field as keyof Values, errors: [f.message] })));
      else void message.error((e as Error).message);
    }
  };

  return (
    <Modal
      open={open}
      title={area ? t('cleaning.areaForm.edit') : t('cleaning.areaForm.add')}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      data-testid="cleaning-area-modal"
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'cleaning', qrRequired: false }}>
        <Form.Item name="name" label={t('cleaning.areaForm.name')} rules={[{ required: true, max: 60 }]}>
          <Input placeholder="1栋大堂" data-testid="area-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('cleaning.areaForm.kind')}>
          <Radio.Group options={(['cleaning', 'greening'] as const).map((k) => ({ value: k, label: t(`cleaning.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="buildingId" label={t('cleaning.areaForm.building')}>
          <Select allowClear options={opts.buildings.map((b) => ({ value: b.id, label: b.name }))} />
        </Form.Item>
        <Form.Item name="postId" label={t('cleaning.areaForm.post')}>
          <Select allowClear options={opts.posts.map((p) => ({ value: p.id, label: p.name }))} data-testid="area-post" />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.postId !== b.postId}>
          {({ getFieldValue }) =>
            !getFieldValue('postId') && (
              <Form.Item name="departmentId" label={t('cleaning.areaForm.department')}>
                <Select allowClear options={opts.departments.map((d) => ({ value: d.id, label: d.name }))} />
              </Form.Item>
            )
          }
        </Form.Item>
        <Form.Item name="qrRequired" valuePropName="checked">
          <Checkbox>{t('cleaning.areaForm.qrRequired')}</Checkbox>
        </Form.Item>
        <Form.Item name="note" label={t('cleaning.areaForm.note')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
