import { useEffect, useState } from 'react';
import { Alert, Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { createRoomBody, ROOM_KINDS, ROOM_STATUSES } from '../../../../../src/modules/estate/schema.ts';
import { compact, showServerErrors, zodField } from '../../../lib/form.ts';
import { useCreateRoom, type Building, type Room, type RoomKind, type RoomStatus } from '../api.ts';

interface Values {
  unitId?: string;
  floor: number;
  number: string;
  builtArea: string;
  innerArea?: string;
  kind: RoomKind;
  status: RoomStatus;
}

const shape = createRoomBody.shape;

/** A new room in a building; the server checks the floor range, areas and that the number is free. */
export function RoomFormModal({
  building,
  unitId,
  onClose,
  onCreated,
}: {
  building: Building | null;
  /** Preselected unit (the tree's selection). */
  unitId?: string;
  onClose: () => void;
  onCreated?: (room: Room) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateRoom();

  useEffect(() => {
    if (!building) return;
    setFormError(null);
    form.resetFields();
  }, [building, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !building) return;
    setFormError(null);
    create.mutate(compact({ ...v, buildingId: building.id, unitId: v.unitId ?? null }), {
      onSuccess: (room) => {
        onClose();
        onCreated?.(room);
      },
      onError: (err) => setFormError(showServerErrors(form, err)),
    });
  };

  const floors = !building ? '' : building.floorsBelow > 0 ? t('estate.floorRangeBelow', { above: building.floorsAbove, below: building.floorsBelow }) : t('estate.floorRange', { above: building.floorsAbove });
  return (
    <Modal
      open={building !== null}
      title={t('estate.createRoomIn', { building: building?.name ?? '' })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={600}
      okButtonProps={{ 'data-testid': 'room-form-submit' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      {/* The modal's form mounts afresh each time it opens (destroyOnHidden), so the defaults are its initial values. */}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          unitId: unitId ?? building?.units[0]?.id,
          kind: building?.kind === 'commercial' ? 'shop' : building?.kind === 'office' ? 'office' : 'residence',
          status: 'unsold',
        }}
      >
        <Row gutter={16}>
          {building && building.units.length > 0 && (
            <Col span={12}>
              <Form.Item name="unitId" label={t('estate.unit')}>
                <Select allowClear placeholder={t('estate.noUnit')} options={building.units.map((u) => ({ value: u.id, label: u.name }))} data-testid="room-unit" />
              </Form.Item>
            </Col>
          )}
          <Col span={12}>
            <Form.Item name="floor" label={t('estate.floor')} extra={floors} {...zodField(shape.floor)}>
              <InputNumber min={-20} max={200} precision={0} style={{ width: '100%' }} data-testid="room-floor" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="number" label={t('estate.roomNumber')} extra={t('estate.roomNumberHint')} {...zodField(shape.number)}>
              <Input maxLength={16} data-testid="room-number" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="builtArea" label={t('estate.builtArea')} {...zodField(shape.builtArea)}>
              <Input inputMode="decimal" suffix="㎡" placeholder="89.50" data-testid="room-built-area" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="innerArea" label={t('estate.innerArea')} {...zodField(shape.innerArea)}>
              <Input inputMode="decimal" suffix="㎡" placeholder={t('common.optional')} data-testid="room-inner-area" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="kind" label={t('estate.roomKind')} {...zodField(shape.kind)}>
              <Select options={ROOM_KINDS.map((k) => ({ value: k, label: t(`estate.roomKinds.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="status" label={t('estate.status')} {...zodField(shape.status)}>
              <Select options={ROOM_STATUSES.map((s) => ({ value: s, label: t(`estate.statuses.${s}`) }))} data-testid="room-status" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
