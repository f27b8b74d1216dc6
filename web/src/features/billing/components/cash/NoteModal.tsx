import { useState, type ReactNode } from 'react';
import { Alert, Form, Input, Modal, Typography } from 'antd';
import type { z } from 'zod';
import { showServerErrors, zodField } from '../../../../lib/form.ts';

/**
 * A decision with one text field (approve with a note, reject with a reason, issue with the invoice number), checked
 * with the server's schema for it. The server's answer — a 409 "you asked for this refund yourself" included — shows
 * above the field, or beside it when the server names it.
 */
export function NoteModal({
  open,
  title,
  hint,
  label,
  field,
  schema,
  multiline = true,
  okText,
  danger,
  testId,
  onClose,
  onSubmit,
}: {
  open: boolean;
  title: string;
  hint?: ReactNode;
  label: string;
  /** The body field the server names in a 400. */
  field: string;
  schema: z.ZodType;
  multiline?: boolean;
  okText: string;
  danger?: boolean;
  testId: string;
  onClose: () => void;
  /** Resolves when done; rejects with the server's error. */
  onSubmit: (text: string | undefined) => Promise<unknown>;
}) {
  const [form] = Form.useForm<Record<string, string>>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    setBusy(true);
    try {
      await onSubmit(v[field]?.trim() || undefined);
      onClose();
    } catch (err) {
      setError(showServerErrors(form, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={okText}
      okButtonProps={{ danger, 'data-testid': `${testId}-submit` }}
      confirmLoading={busy}
      destroyOnHidden
      width={480}
    >
      {hint && <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid={`${testId}-error`} />}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name={field} label={label} {...zodField(schema)}>
          {multiline ? <Input.TextArea rows={3} maxLength={200} data-testid={`${testId}-text`} /> : <Input maxLength={40} data-testid={`${testId}-text`} style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }} />}
        </Form.Item>
      </Form>
    </Modal>
  );
}
