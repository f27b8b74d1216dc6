import { useState } from 'react';
import { Alert, App, Button, Flex, Form, Input, InputNumber, Modal, Segmented, Select, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { createCategoryBody, updateCategoryBody } from '../../../../../../src/modules/servicedesk/config-schema.ts';
import { ticketKind } from '../../../../../../src/modules/servicedesk/schema.ts';
import { QueryError } from '../../../../components/QueryError.tsx';
import { compact, showServerErrors, zodField } from '../../../../lib/form.ts';
import type { TicketKind } from '../../api.ts';
import { useCategories, useSaveCategory, type Category } from '../../config-api.ts';

interface Values {
  kind: TicketKind;
  code: string;
  name: string;
  nameEn?: string;
  sort?: number;
  active?: boolean;
}

function CategoryModal({ editing, kind, onClose }: { editing: Category | 'new' | null; kind: TicketKind | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const save = useSaveCategory();
  const existing = editing && editing !== 'new' ? editing : null;

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const input = existing ? { name: v.name, nameEn: v.nameEn?.trim() ? v.nameEn : null, sort: v.sort, active: v.active } : compact({ kind: v.kind, code: v.code, name: v.name, nameEn: v.nameEn, sort: v.sort ?? undefined });
    save.mutate(
      { id: existing?.id, input },
      {
        onSuccess: () => {
          void message.success(t('common.saved'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  const shape = existing ? { ...createCategoryBody.shape, ...updateCategoryBody.shape } : createCategoryBody.shape;
  return (
    <Modal open={editing !== null} title={existing ? t('servicedesk.settings.categories.edit') : t('servicedesk.settings.categories.add')} onCancel={onClose} onOk={() => void submit()} confirmLoading={save.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'category-submit' }}>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={existing ? { kind: existing.kind, code: existing.code, name: existing.name, nameEn: existing.nameEn ?? undefined, sort: existing.sort, active: existing.active } : { kind: kind ?? 'homeRepair' }}
      >
        <Flex gap={16}>
          <Form.Item name="kind" label={t('servicedesk.ticket.kind')} style={{ flex: 1 }} {...zodField(createCategoryBody.shape.kind)}>
            <Select disabled={Boolean(existing)} options={ticketKind.options.map((k) => ({ value: k, label: t(`servicedesk.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="code" label={t('servicedesk.settings.categories.code')} extra={existing ? undefined : t('servicedesk.settings.categories.codeHint')} style={{ flex: 1 }} {...(existing ? {} : zodField(createCategoryBody.shape.code, 'validation.code'))}>
            <Input disabled={Boolean(existing)} maxLength={32} data-testid="category-code" />
          </Form.Item>
        </Flex>
        <Form.Item name="name" label={t('servicedesk.settings.categories.name')} {...zodField(createCategoryBody.shape.name)}>
          <Input maxLength={40} data-testid="category-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('servicedesk.settings.categories.nameEn')} rules={zodField(createCategoryBody.shape.nameEn).rules}>
          <Input maxLength={80} placeholder={t('common.optional')} />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="sort" label={t('servicedesk.settings.categories.sort')} rules={zodField(shape.sort).rules}>
            <InputNumber min={0} max={10000} precision={0} placeholder={t('common.optional')} />
          </Form.Item>
          {existing && (
            <Form.Item name="active" label={t('common.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
        </Flex>
      </Form>
    </Modal>
  );
}

/** Ticket categories by kind; a category once used is retired rather than deleted. */
export function CategoriesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [kind, setKind] = useState<TicketKind | undefined>(undefined);
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const list = useCategories(kind ? { kind } : {});
  const save = useSaveCategory();
  const toggle = (c: Category) =>
    save.mutate({ id: c.id, input: { active: !c.active } }, { onSuccess: () => void message.success(c.active ? t('servicedesk.settings.categories.deactivated') : t('servicedesk.settings.categories.activated')), onError: (e) => void message.error(e.message) });

  return (
    <>
      <Flex justify="space-between" gap={12} wrap style={{ marginBottom: 16 }}>
        <Segmented
          value={kind ?? 'all'}
          onChange={(v) => setKind(v === 'all' ? undefined : (v as TicketKind))}
          options={[{ value: 'all', label: t('common.all') }, ...ticketKind.options.map((k) => ({ value: k, label: t(`servicedesk.kinds.${k}`) }))]}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="category-add">
          {t('servicedesk.settings.categories.add')}
        </Button>
      </Flex>
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table<Category>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="categories-table"
        columns={[
          { title: t('servicedesk.ticket.kind'), dataIndex: 'kind', render: (k: TicketKind) => <Tag>{t(`servicedesk.kinds.${k}`)}</Tag> },
          { title: t('servicedesk.settings.categories.name'), dataIndex: 'name' },
          { title: t('servicedesk.settings.categories.nameEn'), dataIndex: 'nameEn', render: (v: string | null) => v ?? '—' },
          { title: t('servicedesk.settings.categories.code'), dataIndex: 'code', render: (v: string) => <code>{v}</code> },
          { title: t('servicedesk.settings.categories.sort'), dataIndex: 'sort', align: 'right' },
          { title: t('common.status'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.disabled')}</Tag>) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, c: Category) => (
              <Flex gap={0}>
                <Button type="link" size="small" onClick={() => setEditing(c)}>
                  {t('common.edit')}
                </Button>
                <Button type="link" size="small" danger={c.active} onClick={() => toggle(c)}>
                  {c.active ? t('common.disable') : t('common.enable')}
                </Button>
              </Flex>
            ),
          },
        ]}
      />
      <CategoryModal editing={editing} kind={kind} onClose={() => setEditing(null)} />
    </>
  );
}
