import { useState } from 'react';
import { Alert, App, DatePicker, Descriptions, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { METER_KINDS } from '../../../../../../src/modules/billing/schema.ts';
import { showServerErrors, toDate } from '../../../../lib/form.ts';
import { useCreateMeter, useReplaceMeter, type Meter, type MeterKind } from '../../api-setup.ts';
import { BuildingSelect, RoomSelect } from './Pickers.tsx';
import { plainDecimal } from './periods.ts';

const DECIMAL = /^\d{1,10}(\.\d{1,4})?$/;

interface AddValues {
  scope: 'room' | 'building';
  roomId?: string;
  buildingId?: string;
  kind: MeterKind;
  number: string;
  multiplier?: string;
  initialReading?: string;
  installedAt?: Dayjs;
}

/** 新增水表/电表/燃气表: a room's meter, or a building's 公摊表. */
export function AddMeterModal({ open, communityId, onClose }: { open: boolean; communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddValues>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateMeter();
  const scope = Form.useWatch('scope', form) ?? 'room';
  const decimalRule = [{ pattern: DECIMAL, message: t('billingSetup.form.priceFormat') }];

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    create.mutate(
      {
        ...(v.scope === 'room' ? { roomId: v.roomId } : { buildingId: v.buildingId }),
        kind: v.kind,
        number: v.number.trim(),
        multiplier: v.multiplier?.trim() || undefined,
        initialReading: v.initialReading?.trim() || undefined,
        installedAt: toDate(v.installedAt),
      },
      {
        onSuccess: () => {
          void message.success(t('common.created'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <Modal open={open} title={t('billingSetup.meters.add')} onCancel={onClose} onOk={() => void submit()} confirmLoading={create.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'meter-submit' }}>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<AddValues> form={form} layout="vertical" preserve={false} initialValues={{ scope: 'room', kind: 'water', multiplier: '1', initialReading: '0', installedAt: dayjs() }}>
        <Form.Item name="scope" label={t('billingSetup.meters.scope')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'room', label: t('billingSetup.meters.roomMeter') },
              { value: 'building', label: t('billingSetup.meters.buildingMeter') },
            ]}
          />
        </Form.Item>
        {scope === 'room' ? (
          <Form.Item name="roomId" label={t('billingSetup.bindings.room')} rules={[{ required: true, message: t('validation.required') }]}>
            <RoomSelect communityId={communityId} testId="meter-room" />
          </Form.Item>
        ) : (
          <Form.Item name="buildingId" label={t('billingSetup.bindings.building')} rules={[{ required: true, message: t('validation.required') }]}>
            <BuildingSelect communityId={communityId} width="100%" placeholder={t('billingSetup.pickers.building')} testId="meter-building" />
          </Form.Item>
        )}
        <Form.Item name="kind" label={t('billingSetup.meters.kind')}>
          <Select options={METER_KINDS.map((k) => ({ value: k, label: t(`billingSetup.meterKinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="number" label={t('billingSetup.meters.number')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 32, message: t('validation.tooLong', { max: '32' }) }]}>
          <Input maxLength={32} data-testid="meter-number" />
        </Form.Item>
        <div style={{ display: 'flex', gap: 8 }}>
          <Form.Item name="multiplier" label={t('billingSetup.meters.multiplier')} rules={decimalRule} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
          <Form.Item name="initialReading" label={t('billingSetup.meters.initialReading')} rules={decimalRule} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
          <Form.Item name="installedAt" label={t('billingSetup.meters.installedAt')} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}

interface ReplaceValues {
  finalReading: string;
  replacedAt: Dayjs;
  number: string;
  initialReading?: string;
  multiplier?: string;
}

/** 换表: the old meter's final reading, then the new one's number and initial reading; usage across it counts once. */
export function ReplaceMeterModal({ meter, onClose }: { meter: Meter | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReplaceValues>();
  const [formError, setFormError] = useState<string | null>(null);
  const replace = useReplaceMeter();
  const decimalRule = [{ pattern: DECIMAL, message: t('billingSetup.form.priceFormat') }];

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !meter) return;
    setFormError(null);
    replace.mutate(
      {
        id: meter.id,
        input: { finalReading: v.finalReading.trim(), replacedAt: toDate(v.replacedAt)!, number: v.number.trim(), initialReading: v.initialReading?.trim() || undefined, multiplier: v.multiplier?.trim() || undefined },
      },
      {
        onSuccess: () => {
          void message.success(t('billingSetup.meters.replaced'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <Modal open={meter !== null} title={t('billingSetup.meters.replace')} onCancel={onClose} onOk={() => void submit()} confirmLoading={replace.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'replace-submit' }}>
      {meter && (
        <Descriptions
          size="small"
          column={2}
          style={{ marginBottom: 16 }}
          items={[
            { key: 'number', label: t('billingSetup.meters.number'), children: meter.number },
            { key: 'kind', label: t('billingSetup.meters.kind'), children: t(`billingSetup.meterKinds.${meter.kind}`) },
            { key: 'target', label: t('billingSetup.bindings.target'), children: meter.roomLabel ?? t('billingSetup.meters.buildingMeter') },
            { key: 'last', label: t('billingSetup.meters.lastReading'), children: meter.lastReading ? `${plainDecimal(meter.lastReading.reading)} (${meter.lastReading.periodKey})` : `${plainDecimal(meter.initialReading)} (${t('billingSetup.meters.initial')})` },
          ]}
        />
      )}
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<ReplaceValues> form={form} layout="vertical" preserve={false} initialValues={{ replacedAt: dayjs(), initialReading: '0', multiplier: meter?.multiplier }}>
        <div style={{ display: 'flex', gap: 8 }}>
          <Form.Item name="finalReading" label={t('billingSetup.meters.finalReading')} rules={[{ required: true, message: t('validation.required') }, ...decimalRule]} style={{ flex: 1 }}>
            <Input data-testid="replace-final" />
          </Form.Item>
          <Form.Item name="replacedAt" label={t('billingSetup.meters.replacedAt')} rules={[{ required: true, message: t('validation.required') }]} style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Form.Item name="number" label={t('billingSetup.meters.newNumber')} rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 32, message: t('validation.tooLong', { max: '32' }) }]}>
          <Input maxLength={32} data-testid="replace-number" />
        </Form.Item>
        <div style={{ display: 'flex', gap: 8 }}>
          <Form.Item name="initialReading" label={t('billingSetup.meters.newInitial')} rules={decimalRule} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
          <Form.Item name="multiplier" label={t('billingSetup.meters.multiplier')} rules={decimalRule} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}
