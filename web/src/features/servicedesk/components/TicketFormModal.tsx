import { useState } from 'react';
import { Alert, Col, DatePicker, Flex, Form, Input, Modal, Radio, Row, Segmented, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { channel, createTicketBody, repairSize, severity, ticketKind, urgency } from '../../../../../src/modules/servicedesk/schema.ts';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { compact, showServerErrors, zodField } from '../../../lib/form.ts';
import { currentLang } from '../../../i18n/index.ts';
import { useCurrentMe } from '../../auth/api.ts';
import { useCreateTicket, type Channel, type RepairSize, type Severity, type TicketDetail, type TicketKind, type Urgency } from '../api.ts';
import { useCategories } from '../config-api.ts';
import { PhotoUpload } from './PhotoUpload.tsx';
import { RoomPicker } from './RoomPicker.tsx';

interface Values {
  communityId: string;
  kind: TicketKind;
  categoryId: string;
  urgency: Urgency;
  severity?: Severity;
  repairSize?: RepairSize;
  place: 'room' | 'location';
  roomId?: string;
  location?: string;
  title: string;
  description?: string;
  channel: Channel;
  reporterName?: string;
  reporterPhone?: string;
  reportedAt?: Dayjs;
  photoFileIds?: string[];
}

const shape = createTicketBody.shape;
const REPAIRS: readonly TicketKind[] = ['homeRepair', 'publicRepair'];

/** 登记工单: a ticket taken at the front desk or by phone; deadlines count from when it was reported. */
export function TicketFormModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (t: TicketDetail) => void }) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const { community } = useCurrentCommunity();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateTicket();
  const categories = useCategories({ active: 'true' });
  const communityId = Form.useWatch('communityId', form);
  const kind = Form.useWatch('kind', form);
  const place = Form.useWatch('place', form);
  const en = currentLang() === 'en';

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const { place: where, reportedAt, ...rest } = v;
    create.mutate(
      compact({
        ...rest,
        roomId: where === 'room' ? v.roomId : undefined,
        location: where === 'location' ? v.location : undefined,
        severity: v.kind === 'complaint' ? v.severity : undefined,
        repairSize: REPAIRS.includes(v.kind) ? v.repairSize : undefined,
        reportedAt: reportedAt ? reportedAt.format() : undefined,
        photoFileIds: v.photoFileIds ?? [],
      }),
      {
        onSuccess: (ticket) => {
          onClose();
          onCreated(ticket);
        },
        // The server names roomId when neither a room nor a place was given.
        onError: (err) => setFormError(showServerErrors(form, err, where === 'location' ? { roomId: 'location' } : {})),
      },
    );
  };

  const kindCategories = (categories.data?.items ?? []).filter((c) => c.kind === kind);
  return (
    <Modal
      open={open}
      title={t('servicedesk.form.title')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('servicedesk.form.submit')}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={760}
      okButtonProps={{ 'data-testid': 'ticket-form-submit' }}
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="ticket-form-error" />}
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ communityId: community?.id ?? me.communities[0]?.id, kind: 'homeRepair', urgency: 'normal', severity: 'ordinary', place: 'room', channel: 'frontDesk', reportedAt: dayjs() }}
        onValuesChange={(changed: Partial<Values>) => {
          // A category belongs to one kind; public repairs happen in a place rather than a home.
          if (changed.kind) form.setFieldsValue({ categoryId: undefined, place: changed.kind === 'homeRepair' ? 'room' : changed.kind === 'publicRepair' ? 'location' : form.getFieldValue('place') });
          if (changed.communityId) form.setFieldsValue({ roomId: undefined });
        }}
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="communityId" label={t('servicedesk.form.community')} {...zodField(shape.communityId)}>
              <Select options={me.communities.map((c) => ({ value: c.id, label: c.name }))} data-testid="ticket-form-community" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="kind" label={t('servicedesk.ticket.kind')} {...zodField(shape.kind)}>
              <Select options={ticketKind.options.map((k) => ({ value: k, label: t(`servicedesk.kinds.${k}`) }))} data-testid="ticket-form-kind" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="categoryId" label={t('servicedesk.ticket.category')} {...zodField(shape.categoryId)}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('servicedesk.form.categoryPlaceholder')}
                loading={categories.isPending}
                options={kindCategories.map((c) => ({ value: c.id, label: en && c.nameEn ? c.nameEn : c.name }))}
                data-testid="ticket-form-category"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="urgency" label={t('servicedesk.ticket.urgency')} {...zodField(shape.urgency)}>
              <Radio.Group optionType="button" options={urgency.options.map((u) => ({ value: u, label: t(`servicedesk.urgencies.${u}`) }))} data-testid="ticket-form-urgency" />
            </Form.Item>
          </Col>
          {kind === 'complaint' && (
            <Col span={12}>
              <Form.Item name="severity" label={t('servicedesk.ticket.severity')} {...zodField(shape.severity)}>
                <Radio.Group optionType="button" options={severity.options.map((s) => ({ value: s, label: t(`servicedesk.severities.${s}`) }))} data-testid="ticket-form-severity" />
              </Form.Item>
            </Col>
          )}
          {kind && REPAIRS.includes(kind) && (
            <Col span={12}>
              <Form.Item name="repairSize" label={t('servicedesk.ticket.repairSize')} extra={t('servicedesk.form.repairSizeHint')} {...zodField(shape.repairSize)}>
                <Select allowClear placeholder={t('common.optional')} options={repairSize.options.map((s) => ({ value: s, label: t(`servicedesk.repairSizes.${s}`) }))} data-testid="ticket-form-repair-size" />
              </Form.Item>
            </Col>
          )}
          <Col span={24}>
            <Form.Item label={t('servicedesk.form.place')} required style={{ marginBottom: 0 }}>
              <Flex gap={12} align="flex-start">
                <Form.Item name="place" noStyle>
                  <Segmented
                    options={[
                      { value: 'room', label: t('servicedesk.form.placeRoom'), disabled: kind === 'publicRepair' },
                      { value: 'location', label: t('servicedesk.form.placeLocation'), disabled: kind === 'homeRepair' },
                    ]}
                    data-testid="ticket-form-place"
                  />
                </Form.Item>
                {place === 'location' ? (
                  <Form.Item name="location" style={{ flex: 1 }} rules={[{ required: true, message: t('validation.required') }, ...zodField(shape.location).rules]}>
                    <Input maxLength={200} placeholder={t('servicedesk.form.locationPlaceholder')} data-testid="ticket-form-location" />
                  </Form.Item>
                ) : (
                  <Form.Item name="roomId" style={{ flex: 1 }} rules={[{ required: true, message: t('validation.required') }]}>
                    <RoomPicker communityId={communityId} testId="ticket-form-room" />
                  </Form.Item>
                )}
              </Flex>
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="title" label={t('servicedesk.ticket.title')} {...zodField(shape.title)}>
              <Input maxLength={100} placeholder={t('servicedesk.form.titlePlaceholder')} data-testid="ticket-form-title" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="description" label={t('servicedesk.ticket.description')} {...zodField(shape.description)}>
              <Input.TextArea rows={3} maxLength={2000} data-testid="ticket-form-description" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="channel" label={t('servicedesk.ticket.channel')} {...zodField(shape.channel)}>
              <Select options={channel.options.map((c) => ({ value: c, label: t(`servicedesk.channels.${c}`) }))} data-testid="ticket-form-channel" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="reporterName" label={t('servicedesk.ticket.reporterName')} {...zodField(shape.reporterName)}>
              <Input maxLength={50} placeholder={t('common.optional')} data-testid="ticket-form-reporter-name" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="reporterPhone" label={t('servicedesk.ticket.reporterPhone')} {...zodField(shape.reporterPhone)}>
              <Input maxLength={11} inputMode="tel" placeholder={t('common.optional')} data-testid="ticket-form-reporter-phone" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="reportedAt"
              label={t('servicedesk.ticket.reportedAt')}
              extra={t('servicedesk.form.reportedAtHint')}
              rules={[
                {
                  validator: async (_r, value: Dayjs | null | undefined) => {
                    if (value && value.isAfter(dayjs().add(1, 'minute'))) throw new Error(t('servicedesk.form.notFuture'));
                  },
                },
              ]}
            >
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                style={{ width: '100%' }}
                disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                data-testid="ticket-form-reported-at"
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="photoFileIds" label={t('servicedesk.form.photos')} {...zodField(shape.photoFileIds)}>
              <PhotoUpload testId="ticket-form-photos" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

