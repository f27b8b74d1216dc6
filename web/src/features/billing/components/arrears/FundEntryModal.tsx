import { useState } from 'react';
import { Alert, App, DatePicker, Empty, Form, Input, Modal, Radio, Select, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { createFundEntryBody, FUND_KINDS } from '../../../../../../src/modules/billing/fund-schema.ts';
import { yuanToFen } from '../../../../lib/format.ts';
import { showServerErrors, zodField } from '../../../../lib/form.ts';
import { useAbilities } from '../../../auth/api.ts';
import { useCreateFundEntry, useRepairTickets, type FundKind } from '../../api-arrears.ts';
import { yuanRule } from './shared.tsx';

interface Values {
  kind: FundKind;
  direction?: 'in' | 'out';
  amountYuan: string;
  occurredOn: Dayjs;
  description: string;
  voucherNo?: string;
  ticketId?: string;
}

/**
 * Approved medium/major repairs to pay from the fund. GET /api/tickets has no repair-size or approval filter, so the
 * picker lists the community's public repairs (searchable) and the server's 400 names a ticket that does not qualify.
 */
function TicketPicker({ communityId, value, onChange }: { communityId: string; value?: string; onChange?: (v: string | undefined) => void }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const [search, setSearch] = useState('');
  const q = useRepairTickets(communityId, search, can('ticket.read'));
  return (
    <Select
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={q.isFetching}
      placeholder={t('billingArrears.fund.ticketSearch')}
      notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingArrears.fund.noTickets')} />}
      options={(q.data?.items ?? []).map((tk) => ({
        value: tk.id,
        label: (
          <span>
            <Typography.Text code>{tk.no}</Typography.Text> {tk.title}
            <Tag style={{ marginLeft: 6 }}>{tk.categoryName}</Tag>
          </span>
        ),
      }))}
      style={{ width: '100%' }}
      data-testid="fund-ticket"
    />
  );
}

/** 登记: a deposit, interest, spending on an approved repair, or an adjustment with its direction. */
export function FundEntryModal({ open, communityId, onClose }: { open: boolean; communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateFundEntry();
  const kind = Form.useWatch('kind', form) ?? 'deposit';

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const amountFen = yuanToFen(v.amountYuan);
    if (amountFen === null) return;
    setFormError(null);
    create.mutate(
      {
        communityId,
        kind: v.kind,
        amountFen,
        occurredOn: v.occurredOn.format('YYYY-MM-DD'),
        description: v.description.trim(),
        voucherNo: v.voucherNo?.trim() || undefined,
        ticketId: v.kind === 'spending' || v.kind === 'adjustment' ? v.ticketId : undefined,
        direction: v.kind === 'adjustment' ? v.direction : undefined,
      },
      {
        onSuccess: () => {
          void message.success(t('billingArrears.fund.created'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err, { amountFen: 'amountYuan' })),
      },
    );
  };

  return (
    <Modal open={open} title={t('billingArrears.fund.recordTitle')} onCancel={onClose} onOk={() => void submit()} confirmLoading={create.isPending} okButtonProps={{ 'data-testid': 'fund-submit' }} destroyOnHidden width={600}>
      <Typography.Paragraph type="secondary">{t('billingArrears.fund.appendOnly')}</Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} data-testid="fund-error" />}
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={{ kind: 'deposit', direction: 'in', occurredOn: dayjs() }}>
        <Form.Item name="kind" label={t('billingArrears.fund.kind')}>
          <Radio.Group optionType="button" buttonStyle="solid" options={FUND_KINDS.map((k) => ({ value: k, label: t(`billingArrears.fund.kinds.${k}`) }))} data-testid="fund-kind" />
        </Form.Item>
        {kind === 'adjustment' && (
          <Form.Item name="direction" label={t('billingArrears.fund.direction')} rules={[{ required: true, message: t('billingArrears.common.required') }]}>
            <Radio.Group options={(['in', 'out'] as const).map((d) => ({ value: d, label: t(`billingArrears.fund.directions.${d}`) }))} data-testid="fund-direction" />
          </Form.Item>
        )}
        {(kind === 'spending' || kind === 'adjustment') && (
          <Form.Item
            name="ticketId"
            label={t('billingArrears.fund.ticket')}
            extra={kind === 'spending' ? t('billingArrears.fund.ticketHint') : t('billingArrears.fund.ticketOptional')}
            rules={kind === 'spending' ? [{ required: true, message: t('billingArrears.common.required') }] : []}
          >
            <TicketPicker communityId={communityId} />
          </Form.Item>
        )}
        <Form.Item name="amountYuan" label={t('billingArrears.fund.amount')} required rules={[{ required: true, message: t('billingArrears.common.required') }, yuanRule(t('billingArrears.common.amountFormat'))]}>
          <Input inputMode="decimal" prefix="¥" style={{ width: 220 }} data-testid="fund-amount" />
        </Form.Item>
        <Form.Item name="occurredOn" label={t('billingArrears.fund.occurredOn')} extra={t('billingArrears.fund.occurredHint')} rules={[{ required: true, message: t('billingArrears.common.required') }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} allowClear={false} data-testid="fund-date" />
        </Form.Item>
        <Form.Item name="description" label={t('billingArrears.fund.description')} {...zodField(createFundEntryBody.shape.description)}>
          <Input maxLength={200} data-testid="fund-description" />
        </Form.Item>
        <Form.Item name="voucherNo" label={t('billingArrears.fund.voucherNo')} {...zodField(createFundEntryBody.shape.voucherNo)}>
          <Input maxLength={40} style={{ width: 220 }} data-testid="fund-voucher" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
