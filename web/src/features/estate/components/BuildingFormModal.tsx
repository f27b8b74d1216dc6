import { useEffect, useState } from 'react';
import { Alert, Button, Col, Form, Input, InputNumber, Modal, Row, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { BUILDING_KINDS, createBuildingBody } from '../../../../../src/modules/estate/schema.ts';
import { showServerErrors, zodField } from '../../../lib/form.ts';
import { useCreateBuilding, usePhases, useZones, type Building, type BuildingKind } from '../api.ts';

interface Values {
  name: string;
  kind: BuildingKind;
  floorsAbove: number;
  floorsBelow: number;
  lifts: number;
  units: string[];
  phaseId?: string;
  zoneId?: string;
}

const shape = createBuildingBody.shape;

/** A new building (楼栋) with its unit entrances (单元). */
export function BuildingFormModal({ open, communityId, onClose, onCreated }: { open: boolean; communityId: string; onClose: () => void; onCreated?: (b: Building) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const [unitCount, setUnitCount] = useState<number | null>(2);
  const create = useCreateBuilding();
  const phases = usePhases(open ? communityId : undefined);
  const zones = useZones(open ? communityId : undefined);

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    form.resetFields();
  }, [open, form]);

  const submit = async () => {
    // A failed check marks the fields; there is nothing more to do.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    create.mutate(
      { communityId, name: v.name, kind: v.kind, floorsAbove: v.floorsAbove, floorsBelow: v.floorsBelow ?? 0, lifts: v.lifts ?? 0, units: v.units ?? [], phaseId: v.phaseId ?? null, zoneId: v.zoneId ?? null },
      {
        onSuccess: (b) => {
          onClose();
          onCreated?.(b);
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  const fillUnits = () => {
    if (!unitCount) return;
    form.setFieldValue('units', Array.from({ length: unitCount }, (_, i) => t('estate.unitName', { n: i + 1 })));
  };

  return (
    <Modal
      open={open}
      title={t('estate.createBuilding')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={600}
      okButtonProps={{ 'data-testid': 'building-form-submit' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ kind: 'highRise', floorsBelow: 0, lifts: 0, units: [] }}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name" label={t('estate.buildingName')} {...zodField(shape.name)} extra={t('estate.buildingNameHint')}>
              <Input maxLength={40} data-testid="building-name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="kind" label={t('estate.buildingKind')} {...zodField(shape.kind)}>
              <Select options={BUILDING_KINDS.map((k) => ({ value: k, label: t(`estate.buildingKinds.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="floorsAbove" label={t('estate.floorsAbove')} {...zodField(shape.floorsAbove)}>
              <InputNumber min={1} max={200} precision={0} style={{ width: '100%' }} data-testid="building-floors" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="floorsBelow" label={t('estate.floorsBelow')} {...zodField(shape.floorsBelow)}>
              <InputNumber min={0} max={20} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="lifts" label={t('estate.lifts')} {...zodField(shape.lifts)}>
              <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('estate.units')} extra={t('estate.unitsHint')}>
          <Space.Compact style={{ width: '100%', marginBottom: 8 }}>
            <InputNumber min={1} max={50} precision={0} value={unitCount} onChange={setUnitCount} style={{ width: 120 }} aria-label={t('estate.unitCount')} suffix={t('estate.unitSuffix')} />
            <Button onClick={fillUnits} data-testid="building-fill-units">
              {t('estate.fillUnits')}
            </Button>
          </Space.Compact>
          <Form.Item name="units" noStyle {...zodField(shape.units)}>
            <Select mode="tags" open={false} suffixIcon={null} placeholder={t('estate.unitsPlaceholder')} tokenSeparators={[',', '，', ' ']} data-testid="building-units" />
          </Form.Item>
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="phaseId" label={t('estate.phase')}>
              <Select allowClear loading={phases.isPending} options={(phases.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))} placeholder={t('common.optional')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="zoneId" label={t('estate.zone')}>
              <Select allowClear loading={zones.isPending} options={(zones.data?.items ?? []).map((z) => ({ value: z.id, label: z.name }))} placeholder={t('common.optional')} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
