import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Flex, Form, Input, Radio, Segmented, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { counterPayBody, BALANCE_KINDS, COUNTER_METHODS } from '../../../../../../src/modules/billing/payment-schema.ts';
import { isApiError } from '../../../../lib/api.ts';
import { formatYuan, yuanToFen } from '../../../../lib/format.ts';
import { compact, showServerErrors, zodField } from '../../../../lib/form.ts';
import { newIdempotencyKey, useCounterPay, type BalanceKind, type BillLine, type CounterMethod, type CounterPayInput, type PaymentDetail } from '../../api-cash.ts';
import { amountDue } from './due.ts';
import { fenPlain } from './labels.tsx';

interface Values {
  method: CounterMethod;
  balanceKind?: BalanceKind;
  payerName?: string;
  reference?: string;
  note?: string;
  waiveReason?: string;
}

/**
 * The lines a payment of `amountFen` pays when it is less than the chosen lines owe: oldest first until the money
 * runs out, the last one in part (the lines arrive sorted oldest first). Integer 分 throughout.
 */
export function partialLines(lines: readonly BillLine[], amountFen: number): Array<{ lineId: string; amountFen: number }> {
  const out: Array<{ lineId: string; amountFen: number }> = [];
  let left = amountFen;
  for (const l of lines) {
    if (left <= 0) break;
    const take = Math.min(left, l.amountFen - l.paidFen);
    if (take > 0) out.push({ lineId: l.id, amountFen: take });
    left -= take;
  }
  return out;
}

/**
 * 收款 for one room: method, amount received (the chosen bills' total with their 滞纳金 until the cashier types
 * another), 减免滞纳金 with its reason for those who may waive, the balance kind for what is over, payer, slip or bank
 * reference, note. One idempotency key per form: a double click or a retry after a lost answer returns the same
 * payment instead of taking the money twice.
 */
export function PaymentForm({
  roomId,
  selected,
  openLines,
  ownerName,
  canWaive,
  waive,
  onWaive,
  onPaid,
}: {
  roomId: string;
  /** The ticked open lines, oldest first. */
  selected: BillLine[];
  /** Every open line of the room (paid oldest first when none is ticked). */
  openLines: BillLine[];
  ownerName?: string;
  /** The cashier holds billing.waive. */
  canWaive: boolean;
  /** 减免滞纳金 is on: the amount due leaves the late fees out. */
  waive: boolean;
  onWaive: (on: boolean) => void;
  onPaid: (p: PaymentDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [key] = useState(newIdempotencyKey);
  const [amountText, setAmountText] = useState<string | null>(null);
  const [amountError, setAmountError] = useState<string | null>(null);
  const [formError, setFormError] = useState<{ message: string; paymentId?: string } | null>(null);
  const pay = useCounterPay();
  // A double click lands before the button turns to "loading": the second click is dropped here (and the server
  // would answer it with the same payment anyway, by the idempotency key).
  const sending = useRef(false);
  const method = Form.useWatch('method', form) ?? 'cash';

  const chosen = amountDue(selected, waive);
  const open = amountDue(openLines, waive);
  const selectedFen = chosen.owedFen;
  const openTotalFen = open.owedFen;
  // What pays the lines off: what they owe and, unless waived, the late fees paying them today adds.
  const coveredFen = selected.length ? chosen.dueFen : open.dueFen;
  const lateFeeFen = selected.length ? chosen.lateFeeFen : open.lateFeeFen;
  const accruedFen = selected.length ? chosen.lateFeeFen + chosen.waivedFen : open.lateFeeFen + open.waivedFen;
  const shown = amountText ?? (chosen.dueFen > 0 ? fenPlain(chosen.dueFen) : '');
  const amountFen = yuanToFen(shown);
  const overFen = amountFen !== null ? amountFen - coveredFen : 0;

  const submit = async () => {
    if (sending.current) return;
    setFormError(null);
    const fen = yuanToFen(shown);
    const amountProblem = fen === null ? t('billingCash.counter.amountInvalid') : fen <= 0 ? t('billingCash.counter.amountZero') : null;
    setAmountError(amountProblem);
    sending.current = true;
    const v = await form.validateFields().catch(() => null);
    if (!v || amountProblem || fen === null) {
      sending.current = false;
      return;
    }
    const lines = !selected.length ? undefined : fen >= selectedFen ? selected.map((l) => ({ lineId: l.id, amountFen: null })) : partialLines(selected, fen);
    const body: CounterPayInput = compact({
      roomId,
      method: v.method,
      amountFen: fen,
      lines,
      balanceKind: fen > coveredFen ? v.balanceKind : undefined,
      waiveLateFee: waive || undefined,
      waiveReason: waive ? v.waiveReason?.trim() : undefined,
      payerName: v.payerName?.trim(),
      reference: v.method === 'cash' ? undefined : v.reference?.trim(),
      note: v.note?.trim(),
      idempotencyKey: key,
    });
    pay.mutate(body, {
      onSettled: () => {
        sending.current = false;
      },
      onSuccess: onPaid,
      onError: (err) => {
        const amountIssue = isApiError(err) ? err.fieldIssues.find((i) => i.field === 'amountFen') : undefined;
        if (amountIssue) setAmountError(amountIssue.message);
        const rest = showServerErrors(form, err);
        if (amountIssue && isApiError(err) && err.fieldIssues.length === 1) return;
        const existing = isApiError(err, 409) ? (err.details as { paymentId?: string } | null)?.paymentId : undefined;
        if (rest) setFormError({ message: rest, paymentId: existing });
      },
    });
  };

  return (
    <Form<Values> form={form} layout="vertical" initialValues={{ method: 'cash' }} requiredMark={false} data-testid="counter-form">
      {formError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={formError.message}
          description={formError.paymentId && <Link to={`/billing/payments/${formError.paymentId}`}>{t('billingCash.counter.viewExisting')}</Link>}
          data-testid="counter-error"
        />
      )}
      <Form.Item name="method" label={t('billingCash.counter.method')}>
        <Segmented block options={COUNTER_METHODS.map((m) => ({ value: m, label: t(`billingCash.methods.${m}`) }))} data-testid="counter-method" />
      </Form.Item>
      {lateFeeFen + (waive ? accruedFen : 0) > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }} data-testid="counter-due">
          {waive
            ? t('billingCash.counter.dueWaived', { amount: formatYuan(coveredFen), waived: formatYuan(accruedFen) })
            : t('billingCash.counter.due', { amount: formatYuan(coveredFen), lateFee: formatYuan(lateFeeFen) })}
        </Typography.Paragraph>
      )}
      {canWaive && accruedFen > 0 && (
        <>
          <Flex align="center" gap={8} style={{ marginBottom: waive ? 8 : 16 }}>
            <Switch
              size="small"
              checked={waive}
              onChange={(on) => {
                onWaive(on);
                // The amount follows the new total.
                setAmountText(null);
                setAmountError(null);
              }}
              data-testid="counter-waive"
            />
            <Typography.Text>{t('billingCash.counter.waive', { amount: formatYuan(accruedFen) })}</Typography.Text>
          </Flex>
          {waive && (
            <Form.Item name="waiveReason" label={t('billingCash.counter.waiveReason')} rules={[{ required: true, whitespace: true, message: t('billingCash.counter.waiveReasonRequired') }]}>
              <Input maxLength={200} placeholder={t('billingCash.counter.waiveReasonPlaceholder')} data-testid="counter-waive-reason" />
            </Form.Item>
          )}
        </>
      )}
      <Form.Item label={t('billingCash.counter.amount')} required validateStatus={amountError ? 'error' : undefined} help={amountError ?? undefined}>
        <Input
          size="large"
          prefix="¥"
          inputMode="decimal"
          value={shown}
          onChange={(e) => {
            setAmountText(e.target.value);
            setAmountError(null);
          }}
          style={{ fontSize: 20, fontWeight: 600 }}
          data-testid="counter-amount"
        />
      </Form.Item>
      {amountFen !== null && amountFen > 0 && (
        <>
          {overFen > 0 ? (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('billingCash.counter.overpay', { amount: formatYuan(overFen) })} data-testid="counter-overpay" />
          ) : !selected.length ? (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('billingCash.counter.noLines')} />
          ) : overFen < 0 && selected.length && amountFen >= selectedFen ? (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('billingCash.counter.lateFeeShort', { amount: formatYuan(-overFen) })} data-testid="counter-late-fee-short" />
          ) : overFen < 0 ? (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} title={lateFeeFen > 0 ? t('billingCash.counter.partialLateFee') : t('billingCash.counter.partial')} data-testid="counter-partial" />
          ) : null}
          {openTotalFen === 0 && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('billingCash.counter.depositOnly')} />}
        </>
      )}
      {overFen > 0 && (
        <Form.Item name="balanceKind" label={t('billingCash.counter.balanceKind')} rules={[{ required: true, message: t('billingCash.counter.balanceKindRequired') }]}>
          <Radio.Group optionType="button" buttonStyle="solid" options={BALANCE_KINDS.map((k) => ({ value: k, label: t(`billingCash.balanceKinds.${k}`) }))} data-testid="counter-balance-kind" />
        </Form.Item>
      )}
      <Form.Item
        name="payerName"
        label={t('billingCash.counter.payer')}
        {...zodField(counterPayBody.shape.payerName)}
        extra={
          ownerName && (
            <Typography.Link onClick={() => form.setFieldValue('payerName', ownerName)} style={{ fontSize: 12 }} data-testid="counter-fill-owner">
              {t('billingCash.counter.fillOwner', { name: ownerName })}
            </Typography.Link>
          )
        }
      >
        <Input maxLength={40} placeholder={t('billingCash.counter.payerPlaceholder')} data-testid="counter-payer" />
      </Form.Item>
      {method !== 'cash' && (
        <Form.Item name="reference" label={method === 'pos' ? t('billingCash.counter.referencePos') : t('billingCash.counter.referenceTransfer')} {...zodField(counterPayBody.shape.reference)}>
          <Input maxLength={60} placeholder={t('billingCash.counter.referencePlaceholder')} data-testid="counter-reference" />
        </Form.Item>
      )}
      <Form.Item name="note" label={t('billingCash.counter.note')} {...zodField(counterPayBody.shape.note)}>
        <Input.TextArea rows={2} maxLength={200} data-testid="counter-note" />
      </Form.Item>
      <Button type="primary" size="large" block loading={pay.isPending} disabled={amountFen === null || amountFen <= 0} onClick={() => void submit()} data-testid="counter-submit">
        {t('billingCash.counter.submit', { amount: amountFen !== null ? formatYuan(amountFen) : '—' })}
      </Button>
    </Form>
  );
}
