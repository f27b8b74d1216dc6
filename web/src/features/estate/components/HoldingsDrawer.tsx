import { useEffect, useState } from 'react';
import { Alert, Button, Col, DatePicker, Drawer, Form, Radio, Row, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { createHoldingBody } from '../../../../../src/modules/residents/schema.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDate } from '../../../lib/format.ts';
import { showServerErrors, toDate, zodDateField, zodField } from '../../../lib/form.ts';
import { useAbilities } from '../../auth/api.ts';
import { useAddHolding, useHoldings, type ParkingHolding } from '../../residents/api.ts';
import { ResidentPicker } from '../../residents/components/ResidentPicker.tsx';
import type { ParkingSpace } from '../api.ts';

const shape = createHoldingBody.shape;

/** Who holds a fixed parking space: sold to or rented by a resident, for a period. */
export function HoldingsDrawer({ space, onClose }: { space: ParkingSpace | null; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const holdings = useHoldings(space?.id);
  const add = useAddHolding();
  const [form] = Form.useForm<{ residentId: string; holding: 'sold' | 'rented'; startDate: Dayjs; endDate?: Dayjs }>();
  const [formError, setFormError] = useState<string | null>(null);
  const holding = Form.useWatch('holding', form);

  useEffect(() => {
    setFormError(null);
    form.resetFields();
  }, [space, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !space) return;
    setFormError(null);
    add.mutate(
      { spaceId: space.id, input: { residentId: v.residentId, holding: v.holding, startDate: toDate(v.startDate)!, endDate: toDate(v.endDate) ?? null } },
      { onSuccess: () => form.resetFields(), onError: (err) => setFormError(showServerErrors(form, err)) },
    );
  };

  return (
    <Drawer open={space !== null} onClose={onClose} size={600} title={t('parking.holdingsOf', { number: space?.number ?? '' })} destroyOnHidden data-testid="holdings-drawer">
      {holdings.error && <QueryError error={holdings.error} onRetry={() => void holdings.refetch()} />}
      <Table<ParkingHolding>
        rowKey="id"
        size="small"
        loading={holdings.isPending}
        dataSource={holdings.data?.items}
        pagination={false}
        locale={{ emptyText: t('parking.noHoldings') }}
        data-testid="holdings-table"
        columns={[
          { title: t('parking.holder'), dataIndex: 'residentName' },
          { title: t('parking.holding'), dataIndex: 'holding', render: (h: ParkingHolding['holding']) => <Tag color={h === 'sold' ? 'blue' : 'purple'}>{t(`parking.holdings.${h}`)}</Tag> },
          { title: t('parking.period'), key: 'period', render: (_, h) => `${formatDate(h.startDate)} ~ ${h.endDate ? formatDate(h.endDate) : t('household.now')}` },
        ]}
      />
      {can('resident.manage') && space && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('parking.addHolding')}
          </Typography.Title>
          {space.mode === 'shared' && <Alert type="info" showIcon title={t('parking.sharedHint')} style={{ marginBottom: 12 }} />}
          {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
          <Form form={form} layout="vertical" initialValues={{ holding: 'sold', startDate: dayjs() }}>
            <Form.Item name="residentId" label={t('parking.holder')} {...zodField(shape.residentId)}>
              <ResidentPicker communityId={space.communityId} testId="holding-resident" />
            </Form.Item>
            <Form.Item name="holding" label={t('parking.holding')} {...zodField(shape.holding)}>
              <Radio.Group optionType="button" options={(['sold', 'rented'] as const).map((h) => ({ value: h, label: t(`parking.holdings.${h}`) }))} />
            </Form.Item>
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name="startDate" label={t('parking.startDate')} {...zodDateField(shape.startDate)}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="endDate" label={t('parking.endDate')} {...zodDateField(shape.endDate, holding === 'rented')}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Button type="primary" onClick={() => void submit()} loading={add.isPending} data-testid="holding-submit">
              {t('common.save')}
            </Button>
          </Form>
        </>
      )}
    </Drawer>
  );
}
