import { useState } from 'react';
import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { refundBody } from '../../../../../../src/modules/billing/payment-schema.ts';
import { formatYuan, yuanToFen } from '../../../../lib/format.ts';
import { showServerErrors, zodField } from '../../../../lib/form.ts';
import { newIdempotencyKey, useRequestRefund, type PaymentDetail, type RefundView } from '../../api-cash.ts';
import { fenPlain } from './labels.tsx';

interface Values {
  amount: string;
  reason: string;
}

/**
 * 申请退款: at most what the payment can still give back, with a reason. The parent gives each opening its own `key`,
 * so each gets a fresh idempotency key (a double click sends the same one).
 */
export function RefundModal({ payment, maxFen, open, onClose, onDone }: { payment: PaymentDetail; maxFen: number; open: boolean; onClose: () => void; onDone: (r: RefundView) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [key] = useState(newIdempotencyKey);
  const [error, setError] = useState<string | null>(null);
  const request = useRequestRefund();
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    request.mutate(
      { paymentId: payment.id, amountFen: yuanToFen(v.amount)!, reason: v.reason.trim(), idempotencyKey: key },
      {
        onSuccess: (r) => {
          onClose();
          onDone(r);
        },
        onError: (err) => setError(showServerErrors(form, err, { amountFen: 'amount' })),
      },
    );
  };
  return (
    <Modal
      open={open}
      title={t('billingCash.refundForm.title')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('billingCash.refundForm.submit')}
      okButtonProps={{ 'data-testid': 'refund-submit' }}
      confirmLoading={request.isPending}
      destroyOnHidden
      width={480}
    >
      <Typography.Paragraph type="secondary">{t('billingCash.refundForm.hint')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="refund-error" />}
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={{ amount: fenPlain(maxFen), reason: '' }}>
        <Form.Item
          name="amount"
          label={t('billingCash.refundForm.amount')}
          extra={t('billingCash.refundForm.max', { amount: formatYuan(maxFen) })}
          required
          rules={[
            {
              validator: async (_r, value: string) => {
                const fen = yuanToFen(value ?? '');
                if (fen === null) throw new Error(t('billingCash.counter.amountInvalid'));
                if (fen <= 0) throw new Error(t('billingCash.counter.amountZero'));
                if (fen > maxFen) throw new Error(t('billingCash.refundForm.exceeds', { amount: formatYuan(maxFen) }));
              },
            },
          ]}
        >
          <Input prefix="¥" inputMode="decimal" data-testid="refund-amount" />
        </Form.Item>
        <Form.Item name="reason" label={t('billingCash.refundForm.reason')} {...zodField(refundBody.shape.reason)}>
          <Input.TextArea rows={3} maxLength={200} placeholder={t('billingCash.refundForm.reasonPlaceholder')} data-testid="refund-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
