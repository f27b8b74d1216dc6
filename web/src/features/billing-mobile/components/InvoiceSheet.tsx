import { App, Button, Drawer, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { createInvoiceBody } from '../../../../../src/modules/billing/daily-schema.ts';
import { showServerErrors, zodField } from '../../../lib/form.ts';
import { useRequestInvoice, type InvoiceInput } from '../api.ts';

const f = createInvoiceBody.shape;

/** 申请发票 for one payment: personal (my name) or a company's (with its tax number), and where to send it. */
export function InvoiceSheet({ paymentId, defaultTitle, open, onClose }: { paymentId: string; defaultTitle: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Omit<InvoiceInput, 'paymentId'>>();
  const kind = Form.useWatch('kind', form) ?? 'personal';
  const request = useRequestInvoice();

  const submit = (v: Omit<InvoiceInput, 'paymentId'>) =>
    request.mutateAsync({ paymentId, ...v, taxNo: v.kind === 'company' ? v.taxNo : undefined, email: v.email || undefined }).then(
      () => {
        void message.success(t('billingMobile.invoiceSubmitted'));
        onClose();
      },
      (err: unknown) => {
        const rest = showServerErrors(form, err);
        if (rest) void message.error(rest);
      },
    );

  return (
    <Drawer placement="bottom" size="auto" open={open} onClose={onClose} title={t('billingMobile.invoiceTitle')} destroyOnHidden styles={{ body: { paddingBottom: 24 }, wrapper: { maxHeight: '90vh' } }} data-testid="mb-invoice-sheet">
      <Form form={form} layout="vertical" requiredMark={false} preserve={false} initialValues={{ kind: 'personal', title: defaultTitle }} onFinish={(v) => void submit(v)}>
        <Form.Item name="kind" label={t('billingMobile.invoiceKind')}>
          <KindChips />
        </Form.Item>
        <Form.Item name="title" label={t('billingMobile.invoiceHeader')} {...zodField(f.title)}>
          <Input maxLength={100} placeholder={t(kind === 'company' ? 'billingMobile.invoiceHeaderCompany' : 'billingMobile.invoiceHeaderPersonal')} data-testid="mb-invoice-title" />
        </Form.Item>
        {kind === 'company' && (
          <Form.Item name="taxNo" label={t('billingMobile.taxNo')} extra={t('billingMobile.taxNoHint')} rules={[{ required: true, message: t('validation.required') }]}>
            <Input maxLength={40} autoCapitalize="characters" data-testid="mb-invoice-taxno" />
          </Form.Item>
        )}
        <Form.Item name="email" label={t('billingMobile.emailOptional')} {...zodField(f.email)}>
          <Input type="email" inputMode="email" maxLength={120} data-testid="mb-invoice-email" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={request.isPending} data-testid="mb-invoice-submit">
          {t('billingMobile.invoiceSubmit')}
        </Button>
      </Form>
    </Drawer>
  );
}

function KindChips({ value, onChange }: { value?: InvoiceInput['kind']; onChange?: (v: InvoiceInput['kind']) => void }) {
  const { t } = useTranslation();
  return (
    <div className="m-chips" role="radiogroup">
      {(['personal', 'company'] as const).map((k) => (
        <button key={k} type="button" role="radio" aria-checked={value === k} className={value === k ? 'm-chip active' : 'm-chip'} onClick={() => onChange?.(k)} data-testid={`mb-invoice-kind-${k}`}>
          {t(`billingMobile.invoiceKinds.${k}`)}
        </button>
      ))}
    </div>
  );
}
