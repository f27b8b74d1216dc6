import { Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../../../lib/format.ts';
import type { InvoiceStatus, PaymentMethod, PaymentSummary, RefundStatus } from '../../api-cash.ts';

/** 分 → "1234.50", for an input the user edits (no thousands separators, which `yuanToFen` refuses). */
export function fenPlain(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Whole days a bill is past its due date today (0 when not yet due). */
export function overdueDays(dueDate: string, today = dayjs()): number {
  return Math.max(0, today.startOf('day').diff(dayjs(dueDate), 'day'));
}

/** An amount in 元 with the ¥ sign; `strong` for totals, `danger` for what is owed. */
export function Money({ fen, strong, type, testId }: { fen: number | null | undefined; strong?: boolean; type?: 'danger' | 'success' | 'secondary'; testId?: string }) {
  return (
    <Typography.Text strong={strong} type={type} style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }} data-testid={testId}>
      ¥{formatYuan(fen)}
    </Typography.Text>
  );
}

const METHOD_COLOR: Record<PaymentMethod, string> = { cash: 'gold', pos: 'blue', transfer: 'purple', wechatpay: 'green', alipay: 'geekblue', sandbox: 'default' };
export const METHOD_HEX: Record<PaymentMethod, string> = { cash: '#faad14', pos: '#1677ff', transfer: '#722ed1', wechatpay: '#52c41a', alipay: '#2f54eb', sandbox: '#8c8c8c' };

export function MethodTag({ method }: { method: PaymentMethod }) {
  const { t } = useTranslation();
  return <Tag color={METHOD_COLOR[method]}>{t(`billingCash.methods.${method}`)}</Tag>;
}

const PAYMENT_COLOR: Record<PaymentSummary['status'], string> = { pending: 'processing', succeeded: 'success', failed: 'error', closed: 'default' };
export function PaymentStatusTag({ status }: { status: PaymentSummary['status'] }) {
  const { t } = useTranslation();
  return <Tag color={PAYMENT_COLOR[status]}>{t(`billingCash.paymentStatuses.${status}`)}</Tag>;
}

const REFUND_COLOR: Record<RefundStatus, string> = { requested: 'orange', rejected: 'default', refunding: 'processing', refunded: 'success', failed: 'error' };
export function RefundStatusTag({ status }: { status: RefundStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={REFUND_COLOR[status]} data-testid="refund-status" data-status={status}>
      {t(`billingCash.refundStatuses.${status}`)}
    </Tag>
  );
}

const INVOICE_COLOR: Record<InvoiceStatus, string> = { requested: 'orange', issued: 'success', rejected: 'default' };
export function InvoiceStatusTag({ status }: { status: InvoiceStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={INVOICE_COLOR[status]} data-testid="invoice-status" data-status={status}>
      {t(`billingCash.invoiceStatuses.${status}`)}
    </Tag>
  );
}

export const mono = { fontFamily: 'ui-monospace, Menlo, Consolas, monospace', whiteSpace: 'nowrap' } as const;
