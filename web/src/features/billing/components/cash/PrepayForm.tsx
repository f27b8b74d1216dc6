import { useMemo, useRef, useState } from 'react';
import { Alert, Button, Descriptions, Flex, Form, Input, InputNumber, Segmented, Select, Skeleton, Tag, Typography } from 'antd';
import { GiftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { counterPayBody, COUNTER_METHODS } from '../../../../../../src/modules/billing/payment-schema.ts';
import { isApiError } from '../../../../lib/api.ts';
import { formatYuan } from '../../../../lib/format.ts';
import { compact, showServerErrors, zodField } from '../../../../lib/form.ts';
import { newIdempotencyKey, useCounterPay, usePrepayQuote, type CounterMethod, type PaymentDetail } from '../../api-cash.ts';
import { useAllFeeItems, type FeeItem } from '../../api-setup.ts';
import { prepayHint } from './due.ts';
import { Money } from './labels.tsx';

interface Values {
  itemId?: string;
  months: number | null;
  method: CounterMethod;
  payerName?: string;
  reference?: string;
  note?: string;
}

const QUICK_MONTHS = [3, 6, 12, 24];

/** An item's 预交 rule as the console lists it (the server checks its dates when quoting). */
function prepayRule(item: FeeItem) {
  return item.discounts.find((d) => d.kind === 'prepay' && d.payMonths && d.freeMonths) ?? null;
}

/**
 * 预交: months of a monthly fee item paid ahead, at the counter. The server quotes the amount (months × the room's
 * monthly fee) and the free months it earns (pay N get M); the money goes to the item's balance kind and the bonus
 * settles future bills. Same method, payer, reference and one idempotency key per form as 收款.
 */
export function PrepayForm({ roomId, communityId, ownerName, onPaid }: { roomId: string; communityId: string | undefined; ownerName?: string; onPaid: (p: PaymentDetail) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [key] = useState(newIdempotencyKey);
  const [formError, setFormError] = useState<string | null>(null);
  const sending = useRef(false);
  const items = useAllFeeItems(communityId);
  const pay = useCounterPay();
  const method = Form.useWatch('method', form) ?? 'cash';
  const itemId = Form.useWatch('itemId', form);
  const months = Form.useWatch('months', form) ?? null;

  // Monthly items of the room's community; those with a 预交 rule first, as the ones a cashier usually means.
  const options = useMemo(() => {
    const monthly = (items.data?.items ?? []).filter((i) => i.active && i.cycle === 'monthly');
    return monthly
      .map((i) => ({ item: i, rule: prepayRule(i) }))
      .sort((a, b) => Number(Boolean(b.rule)) - Number(Boolean(a.rule)) || a.item.name.localeCompare(b.item.name, 'zh-CN'));
  }, [items.data]);
  const quote = usePrepayQuote(roomId, itemId, months);
  const quoteIssue = isApiError(quote.error) ? (quote.error.fieldIssues[0] ?? { field: 'prepay.itemId', message: quote.error.message }) : quote.error ? { field: '', message: quote.error.message } : null;
  const q = quote.data;
  const hint = q && prepayHint(q);

  const submit = async () => {
    if (sending.current || !q) return;
    setFormError(null);
    sending.current = true;
    const v = await form.validateFields().catch(() => null);
    if (!v || !v.itemId || !v.months) {
      sending.current = false;
      return;
    }
    pay.mutate(
      compact({
        roomId,
        method: v.method,
        amountFen: q.amountFen,
        prepay: { itemId: v.itemId, months: v.months },
        payerName: v.payerName?.trim(),
        reference: v.method === 'cash' ? undefined : v.reference?.trim(),
        note: v.note?.trim(),
        idempotencyKey: key,
      }),
      {
        onSettled: () => {
          sending.current = false;
        },
        onSuccess: onPaid,
        onError: (err) => setFormError(showServerErrors(form, err, { 'prepay.itemId': 'itemId', 'prepay.months': 'months', roomId: 'itemId' })),
      },
    );
  };

  if (items.isPending) return <Skeleton active />;
  return (
    <Form<Values> form={form} layout="vertical" initialValues={{ method: 'cash', months: 12, itemId: options.find((o) => o.rule)?.item.id }} requiredMark={false} data-testid="prepay-form">
      {formError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={formError} data-testid="prepay-error" />}
      {items.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={items.error.message} />}
      <Form.Item
        name="itemId"
        label={t('billingCash.prepay.item')}
        rules={[{ required: true, message: t('billingCash.prepay.itemRequired') }]}
        validateStatus={quoteIssue && quoteIssue.field !== 'months' ? 'error' : undefined}
        help={quoteIssue && quoteIssue.field !== 'months' ? quoteIssue.message : undefined}
      >
        <Select
          placeholder={t('billingCash.prepay.itemPlaceholder')}
          options={options.map(({ item, rule }) => ({
            value: item.id,
            label: (
              <Flex justify="space-between" gap={8}>
                <span>{item.name}</span>
                {rule && <Tag color="green">{t('billingCash.prepay.rule', { pay: rule.payMonths, free: rule.freeMonths })}</Tag>}
              </Flex>
            ),
          }))}
          notFoundContent={t('billingCash.prepay.noItems')}
          data-testid="prepay-item"
        />
      </Form.Item>
      <Form.Item
        label={t('billingCash.prepay.months')}
        required
        validateStatus={quoteIssue?.field === 'months' ? 'error' : undefined}
        help={quoteIssue?.field === 'months' ? quoteIssue.message : undefined}
      >
        <Flex gap={8} wrap align="center">
          <Form.Item name="months" noStyle rules={[{ required: true, message: t('billingCash.prepay.monthsRequired') }]}>
            <InputNumber min={1} max={60} precision={0} addonAfter={t('billingCash.prepay.monthUnit')} style={{ width: 140 }} data-testid="prepay-months" />
          </Form.Item>
          {QUICK_MONTHS.map((m) => (
            <Button key={m} size="small" type={months === m ? 'primary' : 'default'} ghost={months === m} onClick={() => form.setFieldValue('months', m)}>
              {t('billingCash.prepay.monthsN', { count: m })}
            </Button>
          ))}
        </Flex>
      </Form.Item>
      {quote.isFetching && !q && <Skeleton active paragraph={{ rows: 2 }} title={false} />}
      {q && !quoteIssue && (
        <div style={{ background: '#f6ffed', border: '1px solid #b7eb8f', borderRadius: 8, padding: '8px 12px', marginBottom: 16 }} data-testid="prepay-quote">
          <Descriptions size="small" column={1} colon={false} styles={{ label: { width: 88 } }}>
            <Descriptions.Item label={t('billingCash.prepay.monthly')}>
              <Money fen={q.monthlyFen} />&nbsp;×&nbsp;{q.months}
            </Descriptions.Item>
            <Descriptions.Item label={t('billingCash.prepay.amount')}>
              <Money fen={q.amountFen} strong type="danger" testId="prepay-amount" />
            </Descriptions.Item>
            <Descriptions.Item label={t('billingCash.prepay.bonus')}>
              {hint?.earned ? (
                <Typography.Text type="success" strong data-testid="prepay-bonus">
                  <GiftOutlined /> {t('billingCash.prepay.bonusText', { count: q.freeMonths, amount: formatYuan(q.bonusFen) })}
                </Typography.Text>
              ) : (
                <Typography.Text type="secondary" data-testid="prepay-bonus">
                  {t('billingCash.prepay.noBonus', { months: hint?.nextAt, free: q.rule.freeMonths })}
                </Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('billingCash.prepay.into')}>{t('billingCash.prepay.intoText', { kind: t(`billingCash.balanceKinds.${q.balanceKind}`) })}</Descriptions.Item>
          </Descriptions>
        </div>
      )}
      <Form.Item name="method" label={t('billingCash.counter.method')}>
        <Segmented block options={COUNTER_METHODS.map((m) => ({ value: m, label: t(`billingCash.methods.${m}`) }))} data-testid="prepay-method" />
      </Form.Item>
      <Form.Item
        name="payerName"
        label={t('billingCash.counter.payer')}
        {...zodField(counterPayBody.shape.payerName)}
        extra={
          ownerName && (
            <Typography.Link onClick={() => form.setFieldValue('payerName', ownerName)} style={{ fontSize: 12 }}>
              {t('billingCash.counter.fillOwner', { name: ownerName })}
            </Typography.Link>
          )
        }
      >
        <Input maxLength={40} placeholder={t('billingCash.counter.payerPlaceholder')} data-testid="prepay-payer" />
      </Form.Item>
      {method !== 'cash' && (
        <Form.Item name="reference" label={method === 'pos' ? t('billingCash.counter.referencePos') : t('billingCash.counter.referenceTransfer')} {...zodField(counterPayBody.shape.reference)}>
          <Input maxLength={60} placeholder={t('billingCash.counter.referencePlaceholder')} />
        </Form.Item>
      )}
      <Form.Item name="note" label={t('billingCash.counter.note')} {...zodField(counterPayBody.shape.note)}>
        <Input.TextArea rows={2} maxLength={200} />
      </Form.Item>
      <Button type="primary" size="large" block loading={pay.isPending} disabled={!q || Boolean(quoteIssue)} onClick={() => void submit()} data-testid="prepay-submit">
        {t('billingCash.prepay.submit', { amount: q && !quoteIssue ? formatYuan(q.amountFen) : '—' })}
      </Button>
    </Form>
  );
}
