import { useEffect } from 'react';
import { App, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api.ts';
import { type CleaningItem, type CreateItemInput, useCreateItem, usePresets, useTeamOptions, useUpdateItem } from '../api.ts';

const FREQUENCIES = ['daily', 'weekly', 'halfMonthly', 'monthly', 'yearly'] as const;
type Frequency = (typeof FREQUENCIES)[number];

interface Values {
  preset?: string;
  name: string;
  frequency: Frequency;
  times: string[];
  windowMinutes: number;
  weekdays?: number[];
  monthDay?: number | null;
  month?: number | null;
  shiftId?: string | null;
  photoRequired: boolean;
  standard?: string;
}

/**
 * Add or edit a work item. A preset (bins twice a day, handrails twice a week …) fills the form; the server checks
 * the schedule (no times, overlapping slots, a window too long) and names the field, shown beside it.
 */
export function ItemModal({ communityId, areaId, item, open, onClose }: { communityId: string; areaId: string; item: CleaningItem | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const presets = usePresets();
  const { shifts } = useTeamOptions(communityId);
  const create = useCreateItem();
  const update = useUpdateItem();
  const frequency = Form.useWatch('frequency', form);
  const days = t('cleaning.weekdays').split(',');

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (item)
      form.setFieldsValue({ name: item.name, frequency: item.frequency, times: item.times, windowMinutes: item.windowMinutes, weekdays: item.weekdays, monthDay: item.monthDay, month: item.month, shiftId: item.shift?.id ?? null, photoRequired: item.photoRequired, standard: item.standard ?? undefined });
  }, [open, item, form]);

  const applyPreset = (key: string) => {
    const p = presets.data?.find((x) => x.key === key);
    if (!p) return;
    form.setFieldsValue({ name: p.name, frequency: p.frequency, times: p.times, windowMinutes: p.windowMinutes, weekdays: p.weekdays, monthDay: p.monthDay, month: p.month, photoRequired: p.photoRequired, standard: p.standard });
  };

  const submit = async (v: Values) => {
    const body: Omit<CreateItemInput, 'areaId'> = {
      name: v.name,
      frequency: v.frequency,
      times: [...v.times].sort(),
      windowMinutes: v.windowMinutes,
      weekdays: v.frequency === 'weekly' ? (v.weekdays ?? []) : [],
      monthDay: v.frequency === 'monthly' || v.frequency === 'yearly' ? (v.monthDay ?? null) : null,
      month: v.frequency === 'yearly' ? (v.month ?? null) : null,
      shiftId: v.shiftId ?? null,
      photoRequired: v.photoRequired,
      standard: v.standard || null,
    };
    try {
      if (item) await update.mutateAsync({ id: item.id, ...body });
      else await create.mutateAsync({ areaId, preset: v.preset ?? null, ...body });
      onClose();
    } catch (e) {
      if (isApiError(e) && e.fieldIssues.length) form.setFields(e.fieldIssues.map((f) => ({ name: f.field.split('.')[0] as keyof Values, errors: [f.message] })));
      else void message.error((e as Error).message);
    }
  };

  return (
    <Modal
      open={open}
      title={item ? t('cleaning.itemForm.edit') : t('cleaning.itemForm.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      width={620}
      destroyOnHidden
      data-testid="cleaning-item-modal"
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ frequency: 'daily', times: ['08:00'], windowMinutes: 120, photoRequired: false }}>
        {!item && (
          <Form.Item name="preset" label={t('cleaning.itemForm.preset')} extra={t('cleaning.itemForm.presetHint')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              onChange={(k: string | undefined) => k && applyPreset(k)}
              options={(presets.data ?? []).map((p) => ({ value: p.key, label: `${p.name}（${t(`cleaning.kind.${p.kind}`)}）` }))}
              data-testid="item-preset"
            />
          </Form.Item>
        )}
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="name" label={t('cleaning.itemForm.name')} rules={[{ required: true, max: 60 }]}>
              <Input data-testid="item-name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="frequency" label={t('cleaning.itemForm.frequency')}>
              <Select options={FREQUENCIES.map((f) => ({ value: f, label: t(`cleaning.frequency.${f}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        {frequency === 'weekly' && (
          <Form.Item name="weekdays" label={t('cleaning.itemForm.weekdays')} rules={[{ required: true }]}>
            <Checkbox.Group options={days.map((d, i) => ({ value: i + 1, label: d }))} />
          </Form.Item>
        )}
        {(frequency === 'monthly' || frequency === 'yearly') && (
          <Row gutter={12}>
            {frequency === 'yearly' && (
              <Col span={12}>
                <Form.Item name="month" label={t('cleaning.itemForm.month')} rules={[{ required: true }]}>
                  <InputNumber min={1} max={12} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            )}
            <Col span={12}>
              <Form.Item name="monthDay" label={t('cleaning.itemForm.monthDay')} rules={[{ required: true }]}>
                <InputNumber min={1} max={31} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="times" label={t('cleaning.itemForm.times')} extra={t('cleaning.itemForm.timesHint')} rules={[{ required: true }]}>
              <Select mode="tags" tokenSeparators={[',', ' ', '，', '、']} open={false} data-testid="item-times" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="windowMinutes" label={t('cleaning.itemForm.windowMinutes')} rules={[{ required: true }]}>
              <InputNumber min={10} max={44640} step={30} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="shiftId" label={t('cleaning.itemForm.shift')}>
          <Select allowClear options={shifts.map((s) => ({ value: s.id, label: s.name }))} />
        </Form.Item>
        <Form.Item name="standard" label={t('cleaning.itemForm.standard')} rules={[{ max: 200 }]}>
          <Input placeholder="日产日清" />
        </Form.Item>
        <Form.Item name="photoRequired" valuePropName="checked">
          <Checkbox>{t('cleaning.itemForm.photoRequired')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
