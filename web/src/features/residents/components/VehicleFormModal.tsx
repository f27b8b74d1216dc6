import { useEffect, useState } from 'react';
import { Alert, Col, Form, Input, Modal, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { createVehicleBody } from '../../../../../src/modules/residents/schema.ts';
import { checkPlate } from '../../../../../src/modules/residents/rules.ts';
import { compact, showServerErrors, zodField } from '../../../lib/form.ts';
import { useParkingSpaces } from '../../estate/api.ts';
import { useCreateVehicle } from '../api.ts';

interface Values {
  residentId: string;
  plate: string;
  parkingSpaceId?: string;
  brand?: string;
  color?: string;
}

const shape = createVehicleBody.shape;

/** Registers a vehicle for one of `people` (a household, or the one resident of a detail page). */
export function VehicleFormModal({ open, people, communityId, onClose }: { open: boolean; people: Array<{ id: string; name: string }>; communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const [spaceQ, setSpaceQ] = useState('');
  const create = useCreateVehicle();
  const spaces = useParkingSpaces({ communityId, q: spaceQ || undefined, pageSize: 50 });

  useEffect(() => {
    if (!open) return;
    setFormError(null);
    form.resetFields();
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    create.mutate(compact({ ...v, parkingSpaceId: v.parkingSpaceId ?? null }), { onSuccess: onClose, onError: (err) => setFormError(showServerErrors(form, err)) });
  };

  return (
    <Modal
      open={open}
      title={t('vehicles.create')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={560}
      okButtonProps={{ 'data-testid': 'vehicle-form-submit' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ residentId: people.length === 1 ? people[0].id : undefined }}>
        <Form.Item name="residentId" label={t('vehicles.owner')} {...zodField(shape.residentId)}>
          <Select options={people.map((p) => ({ value: p.id, label: p.name }))} disabled={people.length === 1} data-testid="vehicle-owner" />
        </Form.Item>
        <Form.Item
          name="plate"
          label={t('vehicles.plate')}
          extra={t('vehicles.plateHint')}
          rules={[
            ...zodField(shape.plate).rules,
            {
              // The server's own plate rule (GA 36, new-energy plates included), so a typo shows at once.
              validator: async (_r, value: string | undefined) => {
                if (value && value.trim().length >= 7 && !checkPlate(value).ok) throw new Error(t('vehicles.plateInvalid'));
              },
            },
          ]}
          required
        >
          <Input maxLength={12} placeholder="苏A12345" data-testid="vehicle-plate" />
        </Form.Item>
        <Form.Item name="parkingSpaceId" label={t('vehicles.space')}>
          <Select
            allowClear
            showSearch={{ filterOption: false, onSearch: setSpaceQ }}
            placeholder={t('vehicles.spacePlaceholder')}
            loading={spaces.isFetching}
            options={(spaces.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.number}（${t(`parking.areas.${s.area}`)}）` }))}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="brand" label={t('vehicles.brand')} {...zodField(shape.brand)}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="color" label={t('vehicles.color')} {...zodField(shape.color)}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
