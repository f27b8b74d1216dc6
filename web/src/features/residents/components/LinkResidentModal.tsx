import { useEffect, useState } from 'react';
import { Alert, Col, DatePicker, Form, InputNumber, Modal, Radio, Row, Segmented } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { linkResidentBody } from '../../../../../src/modules/residents/schema.ts';
import { showServerErrors, toDate, zodDateField, zodField } from '../../../lib/form.ts';
import type { RoomDetail } from '../../estate/api.ts';
import { RELATIONS } from '../labels.tsx';
import { useLinkResident, type CreateResidentInput, type Relation } from '../api.ts';
import { ResidentFields, RESIDENT_ALIASES } from './ResidentFields.tsx';
import { ResidentPicker } from './ResidentPicker.tsx';

interface Values {
  residentId?: string;
  resident?: Omit<CreateResidentInput, 'communityId'>;
  relation: Relation;
  sharePercent?: number;
  startDate: Dayjs;
  moveInDate?: Dayjs;
  warrantyEnd?: Dayjs;
  leaseStart?: Dayjs;
  leaseEnd?: Dayjs;
}

const shape = linkResidentBody.shape;

/** Links a person to a room as owner, family member or tenant: someone already registered, or a new person. */
export function LinkResidentModal({ room, open, onClose }: { room: RoomDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [mode, setMode] = useState<'existing' | 'new'>('existing');
  const [formError, setFormError] = useState<string | null>(null);
  const link = useLinkResident();
  const relation = Form.useWatch('relation', form);

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    setMode('existing');
    form.resetFields();
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    link.mutate(
      {
        roomId: room.id,
        input: {
          ...(mode === 'existing' ? { residentId: v.residentId } : { resident: { ...v.resident!, idNumber: v.resident?.idNumber || null, phone: v.resident?.phone || null } }),
          relation: v.relation,
          sharePercent: v.relation === 'owner' ? (v.sharePercent ?? null) : null,
          startDate: toDate(v.startDate)!,
          moveInDate: toDate(v.moveInDate) ?? null,
          warrantyEnd: v.relation === 'owner' ? (toDate(v.warrantyEnd) ?? null) : null,
          leaseStart: v.relation === 'tenant' ? (toDate(v.leaseStart) ?? null) : null,
          leaseEnd: v.relation === 'tenant' ? (toDate(v.leaseEnd) ?? null) : null,
        },
      },
      { onSuccess: onClose, onError: (err) => setFormError(showServerErrors(form, err, mode === 'new' ? RESIDENT_ALIASES : {})) },
    );
  };

  return (
    <Modal
      open={open}
      title={t('household.linkTitle', { room: room.label })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={link.isPending}
      destroyOnHidden
      width={680}
      okButtonProps={{ 'data-testid': 'link-form-submit' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Segmented
        block
        value={mode}
        onChange={(m) => setMode(m as 'existing' | 'new')}
        options={[
          { value: 'existing', label: t('household.existingPerson') },
          { value: 'new', label: <span data-testid="link-mode-new">{t('household.newPerson')}</span> },
        ]}
        style={{ marginBottom: 16 }}
      />
      <Form form={form} layout="vertical" preserve={false} initialValues={{ relation: 'family', startDate: dayjs(), resident: { idType: 'idCard', careFlags: [] } }}>
        {mode === 'existing' ? (
          <Form.Item name="residentId" label={t('household.person')} rules={[{ required: true, message: t('validation.required') }]} required>
            <ResidentPicker communityId={room.communityId} testId="link-resident-picker" />
          </Form.Item>
        ) : (
          <ResidentFields prefix={['resident']} testIdPrefix="link-resident" />
        )}
        <Form.Item name="relation" label={t('household.relation')} {...zodField(shape.relation)}>
          <Radio.Group optionType="button" buttonStyle="solid" options={RELATIONS.map((r) => ({ value: r, label: t(`residents.relations.${r}`) }))} data-testid="link-relation" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="startDate" label={t('household.startDate')} {...zodDateField(shape.startDate)}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="moveInDate" label={t('household.moveInDate')} {...zodDateField(shape.moveInDate)}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {relation === 'owner' && (
            <>
              <Col xs={24} md={8}>
                <Form.Item name="sharePercent" label={t('household.share')} extra={t('household.shareHint')}>
                  <InputNumber min={0.01} max={100} precision={2} suffix="%" style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="warrantyEnd" label={t('household.warrantyEnd')} {...zodDateField(shape.warrantyEnd)}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </>
          )}
          {relation === 'tenant' && (
            <>
              <Col xs={24} md={8}>
                <Form.Item name="leaseStart" label={t('household.leaseStart')} {...zodDateField(shape.leaseStart, true)}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="leaseEnd" label={t('household.leaseEnd')} {...zodDateField(shape.leaseEnd, true)}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </>
          )}
        </Row>
      </Form>
    </Modal>
  );
}
