import { useState } from 'react';
import { Alert, Form, Input, Modal, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { createInvoiceBody, INVOICE_KINDS } from '../../../../../../src/modules/billing/daily-schema.ts';
import { formatYuan } from '../../../../lib/format.ts';
import { compact, showServerErrors, zodField } from '../../../../lib/form.ts';
import { useCreateInvoice, type CreateInvoiceInput, type InvoiceRequest, type PaymentDetail } from '../../api-cash.ts';

type Values = Omit<CreateInvoiceInput, 'paymentId'>;

/** 登记发票申请 for a payment: personal or company (which needs its 统一社会信用代码), the title, an e-mail. */
export function InvoiceModal({ payment, open, onClose, onDone }: { payment: PaymentDetail; open: boolean; onClose: () => void; onDone: (r: InvoiceRequest) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const create = useCreateInvoice();
  const kind = Form.useWatch('kind', form) ?? 'personal';
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    create.mutate(compact({ ...v, taxNo: v.kind === 'company' || v.taxNo ? v.taxNo : undefined, paymentId: payment.id }), {
      onSuccess: (r) => {
        onClose();
        onDone(r);
      },
      onError: (err) => setError(showServerErrors(form, err)),
    });
  };
  return (
    <Modal
      open={open}
      title={t('billingCash.invoiceForm.title')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('billingCash.invoiceForm.submit')}
      okButtonProps={{ 'data-testid': 'invoice-submit' }}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={520}
    >
      <Typography.Paragraph type="secondary">{t('billingCash.invoiceForm.amount', { amount: formatYuan(payment.amountFen - payment.refundedFen) })}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="invoice-error" />}
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={{ kind: 'personal', title: payment.payerName ?? '' }}>
        <Form.Item name="kind" label={t('billingCash.invoiceForm.kind')}>
          <Radio.Group optionType="button" buttonStyle="solid" options={INVOICE_KINDS.map((k) => ({ value: k, label: t(`billingCash.invoiceKinds.${k}`) }))} data-testid="invoice-kind" />
        </Form.Item>
        <Form.Item name="title" label={t('billingCash.invoiceForm.invoiceTitle')} {...zodField(createInvoiceBody.shape.title)}>
          <Input maxLength={100} placeholder={kind === 'company' ? t('billingCash.invoiceForm.titleCompany') : t('billingCash.invoiceForm.titlePersonal')} data-testid="invoice-title" />
        </Form.Item>
        {kind === 'company' && (
          <Form.Item name="taxNo" label={t('billingCash.invoiceForm.taxNo')} extra={t('billingCash.invoiceForm.taxNoHint')} required rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={40} style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }} data-testid="invoice-tax-no" />
          </Form.Item>
        )}
        <Form.Item name="email" label={t('billingCash.invoiceForm.email')} extra={t('billingCash.invoiceForm.emailHint')} {...zodField(createInvoiceBody.shape.email)}>
          <Input maxLength={120} inputMode="email" data-testid="invoice-email" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
