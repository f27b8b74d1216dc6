import { useState } from 'react';
import { Alert, App, DatePicker, Form, Input, Modal, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { showServerErrors, toDate, fromDate } from '../../../../lib/form.ts';
import { useAllFeeItems, useBulkBind, useCreateBinding, useUpdateBinding, type Binding } from '../../api-setup.ts';
import { PRICE_PATTERN } from './FeeItemFields.tsx';
import { BuildingSelect, ItemSelect, RoomSelect, SpaceSelect } from './Pickers.tsx';
import { ROOM_ONLY_KINDS, SPACE_ONLY_KINDS, priceUnitKey } from './periods.ts';

const required = (t: (k: 'validation.required') => string) => [{ required: true, message: t('validation.required') }];

/** 批量绑定: an item to every room of the community or of one building (every space, for a parking item). */
export function BulkBindModal({ open, communityId, onClose }: { open: boolean; communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ itemId: string; buildingId?: string; startDate: Dayjs; endDate?: Dayjs }>();
  const [formError, setFormError] = useState<string | null>(null);
  const bulk = useBulkBind();
  const items = useAllFeeItems(communityId);
  const itemId = Form.useWatch('itemId', form);
  const item = items.data?.items.find((i) => i.id === itemId);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    bulk.mutate(
      { itemId: v.itemId, communityId, buildingId: v.buildingId, startDate: toDate(v.startDate)!, endDate: toDate(v.endDate) ?? null },
      {
        onSuccess: (r) => {
          void message.success(t('billingSetup.bindings.bulkDone', { created: r.created, skipped: r.skipped }));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <Modal open={open} title={t('billingSetup.bindings.bulk')} onCancel={onClose} onOk={() => void submit()} confirmLoading={bulk.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'bulk-submit' }}>
      <Alert type="info" showIcon title={t('billingSetup.bindings.bulkHint')} style={{ marginBottom: 16 }} />
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ startDate: dayjs().startOf('month') }}>
        <Form.Item name="itemId" label={t('billingSetup.bindings.item')} rules={required(t)}>
          <ItemSelect communityId={communityId} width="100%" placeholder={t('billingSetup.pickers.item')} filter={(i) => i.active && i.kind !== 'oneOff'} testId="bulk-item" />
        </Form.Item>
        {item && !SPACE_ONLY_KINDS.includes(item.kind) && (
          <Form.Item name="buildingId" label={t('billingSetup.bindings.building')} extra={t('billingSetup.bindings.buildingHint')}>
            <BuildingSelect communityId={communityId} width="100%" placeholder={t('billingSetup.bindings.wholeCommunity')} testId="bulk-building" />
          </Form.Item>
        )}
        <Form.Item name="startDate" label={t('billingSetup.bindings.startDate')} rules={required(t)}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="endDate" label={t('billingSetup.bindings.endDate')}>
          <DatePicker style={{ width: '100%' }} placeholder={t('billingSetup.bindings.openEnded')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface OneValues {
  itemId: string;
  target: 'room' | 'parkingSpace';
  roomId?: string;
  parkingSpaceId?: string;
  startDate: Dayjs;
  endDate?: Dayjs;
  unitPrice?: string;
  note?: string;
}

/** 单个绑定: an item to one room or parking space, maybe at its own price (a rent contract, a reserved space). */
export function BindOneModal({ open, communityId, roomId, onClose }: { open: boolean; communityId: string; roomId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<OneValues>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateBinding();
  const items = useAllFeeItems(communityId);
  const itemId = Form.useWatch('itemId', form);
  const chosenTarget = Form.useWatch('target', form);
  const item = items.data?.items.find((i) => i.id === itemId);
  const target = item && ROOM_ONLY_KINDS.includes(item.kind) ? 'room' : item && SPACE_ONLY_KINDS.includes(item.kind) ? 'parkingSpace' : (chosenTarget ?? 'room');

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    create.mutate(
      {
        itemId: v.itemId,
        ...(target === 'room' ? { roomId: v.roomId } : { parkingSpaceId: v.parkingSpaceId }),
        startDate: toDate(v.startDate)!,
        endDate: toDate(v.endDate) ?? null,
        unitPrice: v.unitPrice?.trim() || undefined,
        note: v.note?.trim() || undefined,
      },
      {
        onSuccess: () => {
          void message.success(t('billingSetup.bindings.bound'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <Modal open={open} title={t('billingSetup.bindings.bindOne')} onCancel={onClose} onOk={() => void submit()} confirmLoading={create.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'bind-submit' }}>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form<OneValues> form={form} layout="vertical" preserve={false} initialValues={{ target: 'room', roomId, startDate: dayjs() }}>
        <Form.Item name="itemId" label={t('billingSetup.bindings.item')} rules={required(t)}>
          <ItemSelect communityId={communityId} width="100%" placeholder={t('billingSetup.pickers.item')} filter={(i) => i.active} testId="bind-item" />
        </Form.Item>
        {item && !ROOM_ONLY_KINDS.includes(item.kind) && !SPACE_ONLY_KINDS.includes(item.kind) && (
          <Form.Item name="target" label={t('billingSetup.bindings.target')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'room', label: t('billingSetup.bindings.room') },
                { value: 'parkingSpace', label: t('billingSetup.bindings.space') },
              ]}
            />
          </Form.Item>
        )}
        {target === 'room' ? (
          <Form.Item name="roomId" label={t('billingSetup.bindings.room')} rules={required(t)}>
            <RoomSelect communityId={communityId} testId="bind-room" />
          </Form.Item>
        ) : (
          <Form.Item name="parkingSpaceId" label={t('billingSetup.bindings.space')} rules={required(t)}>
            <SpaceSelect communityId={communityId} testId="bind-space" />
          </Form.Item>
        )}
        <Form.Item label={t('billingSetup.bindings.period')} required style={{ marginBottom: 0 }}>
          <div style={{ display: 'flex', gap: 8 }}>
            <Form.Item name="startDate" rules={required(t)} style={{ flex: 1 }}>
              <DatePicker style={{ width: '100%' }} placeholder={t('billingSetup.bindings.startDate')} />
            </Form.Item>
            <Form.Item name="endDate" style={{ flex: 1 }}>
              <DatePicker style={{ width: '100%' }} placeholder={t('billingSetup.bindings.openEnded')} />
            </Form.Item>
          </div>
        </Form.Item>
        <Form.Item name="unitPrice" label={t('billingSetup.bindings.ownPrice')} rules={[{ pattern: PRICE_PATTERN, message: t('billingSetup.form.priceFormat') }]} extra={t('billingSetup.bindings.ownPriceHint')}>
          <Input suffix={item ? t(priceUnitKey(item.kind, item.meterKind)) : undefined} placeholder={t('billingSetup.form.sameAsItem')} />
        </Form.Item>
        <Form.Item name="note" label={t('billingSetup.bindings.note')}>
          <Input maxLength={200} placeholder={t('common.optional')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 结束计费 (move-out) or a change of the binding's own price; an empty end date bills on with no end. */
export function EditBindingModal({ binding, onClose }: { binding: Binding | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ endDate?: Dayjs | null; unitPrice?: string; note?: string }>();
  const [formError, setFormError] = useState<string | null>(null);
  const update = useUpdateBinding();

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !binding) return;
    setFormError(null);
    update.mutate(
      { id: binding.id, input: { endDate: toDate(v.endDate) ?? null, unitPrice: v.unitPrice?.trim() || null, note: v.note?.trim() || null } },
      {
        onSuccess: () => {
          void message.success(t('common.saved'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <Modal open={binding !== null} title={t('billingSetup.bindings.editTitle')} onCancel={onClose} onOk={() => void submit()} confirmLoading={update.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'binding-edit-submit' }}>
      {binding && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={`${binding.itemName} · ${binding.roomLabel ?? binding.parkingSpaceNumber ?? ''}`}
          description={t('billingSetup.bindings.endHint', { start: binding.startDate })}
        />
      )}
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ endDate: fromDate(binding?.endDate), unitPrice: binding?.unitPrice ?? undefined, note: binding?.note ?? undefined }}>
        <Form.Item name="endDate" label={t('billingSetup.bindings.endDate')}>
          <DatePicker style={{ width: '100%' }} placeholder={t('billingSetup.bindings.openEnded')} data-testid="binding-end-date" />
        </Form.Item>
        <Form.Item name="unitPrice" label={t('billingSetup.bindings.ownPrice')} rules={[{ pattern: PRICE_PATTERN, message: t('billingSetup.form.priceFormat') }]}>
          <Input placeholder={t('billingSetup.form.sameAsItem')} />
        </Form.Item>
        <Form.Item name="note" label={t('billingSetup.bindings.note')}>
          <Input maxLength={200} placeholder={t('common.optional')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
