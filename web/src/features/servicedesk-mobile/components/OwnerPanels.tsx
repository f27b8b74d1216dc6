import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Flex, Form, Input, Radio, Rate, Skeleton } from 'antd';
import { CloseCircleOutlined, RedoOutlined, StarFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { rateBody } from '../../../../../src/modules/servicedesk/schema.ts';
import { showServerErrors, zodField } from '../../../lib/form.ts';
import { useOwnerStep, useReturnVisitQuestions, type TicketDetail } from '../api.ts';
import { RATING_TAGS } from '../labels.ts';
import { ChoiceChips } from './ChoiceChips.tsx';

/** Shows a rating tag in the page's language (tags are stored in Chinese). */
export function useTagLabel() {
  const { t } = useTranslation();
  return (value: string) => {
    const tag = RATING_TAGS.find((x) => x.value === value);
    return tag ? t(`servicedeskMobile.ratingTags.${tag.key}`) : value;
  };
}

/** 评价: 1–5 stars, tag chips and a comment; confirms the work. */
export function RatePanel({ ticket }: { ticket: TicketDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const step = useOwnerStep(ticket.id);
  const [form] = Form.useForm<{ rating: number; tags: string[]; comment?: string }>();
  const [error, setError] = useState<string | null>(null);
  const tags = Form.useWatch('tags', form) ?? [];
  const rating = Form.useWatch('rating', form) ?? 0;
  return (
    <div className="m-card" data-testid="m-rate">
      <div className="m-card-title">
        <StarFilled /> {t('servicedeskMobile.rateTitle')}
      </div>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ rating: 0, tags: [] }}
        onFinish={(v) => {
          setError(null);
          step.mutate(
            { step: 'rate', body: { rating: v.rating, tags: v.tags, ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}) } },
            { onSuccess: () => void message.success(t('servicedeskMobile.rated')), onError: (err) => setError(showServerErrors(form, err)) },
          );
        }}
      >
        <Form.Item name="rating" rules={[{ validator: async (_r, v: number) => { if (!v) throw new Error(t('servicedeskMobile.rateRequired')); } }]} style={{ textAlign: 'center' }}>
          <RateField testId="m-rate-stars" />
        </Form.Item>
        <div className="m-rate-caption">{rating ? t(`servicedeskMobile.rateWords.r${rating as 1 | 2 | 3 | 4 | 5}`) : t('servicedeskMobile.rateHint')}</div>
        <Form.Item name="tags" style={{ marginBottom: 12 }}>
          <ChoiceChips
            testId="m-rate-tags"
            value={tags}
            options={RATING_TAGS.map((x) => ({ value: x.value, label: t(`servicedeskMobile.ratingTags.${x.key}`) }))}
            onChange={(v) => form.setFieldValue('tags', tags.includes(v) ? tags.filter((x) => x !== v) : [...tags, v])}
          />
        </Form.Item>
        <Form.Item name="comment" {...zodField(rateBody.shape.comment)}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('servicedeskMobile.commentPlaceholder')} data-testid="m-rate-comment" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={step.isPending} data-testid="m-rate-submit">
          {t('servicedeskMobile.rateSubmit')}
        </Button>
      </Form>
    </div>
  );
}

function RateField({ value, onChange, testId }: { value?: number; onChange?: (v: number) => void; testId: string }) {
  return (
    <div data-testid={testId} data-value={value ?? 0}>
      <Rate value={value} onChange={onChange} style={{ fontSize: 34 }} />
    </div>
  );
}

/** The rating the owner gave. */
export function RatingShown({ ticket }: { ticket: TicketDetail }) {
  const { t } = useTranslation();
  const tagLabel = useTagLabel();
  if (ticket.rating === null) return null;
  return (
    <div className="m-card" data-testid="m-rating">
      <div className="m-card-title">
        <StarFilled /> {t('servicedeskMobile.myRating')}
      </div>
      <Rate disabled value={ticket.rating} />
      {ticket.ratingTags.length > 0 && (
        <Flex gap={6} wrap style={{ marginTop: 8 }}>
          {ticket.ratingTags.map((x) => (
            <span key={x} className="m-chip active small">
              {tagLabel(x)}
            </span>
          ))}
        </Flex>
      )}
      {ticket.ratingComment && <div style={{ marginTop: 8 }}>{ticket.ratingComment}</div>}
    </div>
  );
}

/** A step that needs a reason (返修, 撤销): a button that opens a text box and a confirm button. */
function ReasonAction({
  ticket,
  step,
  label,
  icon,
  placeholder,
  confirm,
  done,
  testId,
  danger,
}: {
  ticket: TicketDetail;
  step: 'rework' | 'cancel';
  label: string;
  icon: ReactNode;
  placeholder: string;
  confirm: string;
  done: string;
  testId: string;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const mutation = useOwnerStep(ticket.id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <Button block size="large" icon={icon} danger={danger} onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </Button>
    );
  }
  return (
    <div className="m-card" style={{ marginBottom: 0 }}>
      <div className="m-card-title">{label}</div>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Input.TextArea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={placeholder} data-testid={`${testId}-reason`} />
      <Flex gap={8} style={{ marginTop: 12 }}>
        <Button size="large" style={{ flex: 1 }} onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </Button>
        <Button
          type="primary"
          danger={danger}
          size="large"
          style={{ flex: 1 }}
          disabled={!reason.trim()}
          loading={mutation.isPending}
          data-testid={`${testId}-submit`}
          onClick={() =>
            mutation.mutate(
              { step, body: { reason: reason.trim() } },
              {
                onSuccess: () => {
                  setOpen(false);
                  void message.success(done);
                },
                onError: (err) => setError(err.message),
              },
            )
          }
        >
          {confirm}
        </Button>
      </Flex>
    </div>
  );
}

export function ReworkAction({ ticket }: { ticket: TicketDetail }) {
  const { t } = useTranslation();
  return (
    <ReasonAction
      ticket={ticket}
      step="rework"
      testId="m-rework"
      icon={<RedoOutlined />}
      label={t('servicedeskMobile.rework')}
      placeholder={t('servicedeskMobile.reworkPlaceholder')}
      confirm={t('servicedeskMobile.reworkSubmit')}
      done={t('servicedeskMobile.reworkDone')}
    />
  );
}

export function CancelAction({ ticket }: { ticket: TicketDetail }) {
  const { t } = useTranslation();
  return (
    <ReasonAction
      ticket={ticket}
      step="cancel"
      testId="m-cancel"
      danger
      icon={<CloseCircleOutlined />}
      label={t('servicedeskMobile.cancel')}
      placeholder={t('servicedeskMobile.cancelPlaceholder')}
      confirm={t('servicedeskMobile.cancelSubmit')}
      done={t('servicedeskMobile.cancelled')}
    />
  );
}

interface VisitValues {
  satisfaction: number;
  resolved: boolean;
  answers: Record<string, boolean>;
  note?: string;
}

/**
 * 回访: the office's return-visit questions, answered by the owner instead of a phone call. "Solved" and
 * "satisfaction" are the visit's own fields; the other questions are yes/no answers kept with it.
 */
export function VisitPanel({ ticket }: { ticket: TicketDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const questions = useReturnVisitQuestions(true);
  const step = useOwnerStep(ticket.id);
  const [form] = Form.useForm<VisitValues>();
  const [error, setError] = useState<string | null>(null);
  const text = (key: string, fallback: string) => questions.data?.items.find((q) => q.key === key)?.text ?? fallback;
  const extra = questions.data?.items.filter((q) => q.key !== 'resolved' && q.key !== 'satisfaction') ?? [];
  const yesNo = (testId: string) => (
    <Radio.Group optionType="button" buttonStyle="solid" style={{ display: 'flex' }}>
      <Radio.Button value={true} style={{ flex: 1, textAlign: 'center' }} data-testid={`${testId}-yes`}>
        {t('servicedeskMobile.yes')}
      </Radio.Button>
      <Radio.Button value={false} style={{ flex: 1, textAlign: 'center' }} data-testid={`${testId}-no`}>
        {t('servicedeskMobile.no')}
      </Radio.Button>
    </Radio.Group>
  );
  const required = [{ required: true, message: t('servicedeskMobile.answerRequired') }];
  return (
    <div className="m-card" data-testid="m-visit">
      <div className="m-card-title">{t('servicedeskMobile.visitTitle')}</div>
      <p style={{ margin: '0 0 12px', color: '#888', fontSize: 14 }}>{t('servicedeskMobile.visitIntro')}</p>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {questions.error ? (
        <Alert type="error" showIcon title={questions.error.message} />
      ) : !questions.data ? (
        <Skeleton active />
      ) : (
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => {
            setError(null);
            step.mutate(
              { step: 'return-visit', body: { satisfaction: v.satisfaction, resolved: v.resolved, answers: v.answers ?? {}, ...(v.note?.trim() ? { note: v.note.trim() } : {}) } },
              { onSuccess: () => void message.success(t('servicedeskMobile.visitDone')), onError: (err) => setError(showServerErrors(form, err)) },
            );
          }}
        >
          <Form.Item name="resolved" label={text('resolved', t('servicedeskMobile.visitResolved'))} rules={required}>
            {yesNo('m-visit-resolved')}
          </Form.Item>
          {extra.map((q) => (
            <Form.Item key={q.key} name={['answers', q.key]} label={q.text}>
              {yesNo(`m-visit-q-${q.key}`)}
            </Form.Item>
          ))}
          <Form.Item name="satisfaction" label={text('satisfaction', t('servicedeskMobile.visitSatisfaction'))} rules={required}>
            <RateField testId="m-visit-satisfaction" />
          </Form.Item>
          <Form.Item name="note">
            <Input.TextArea rows={2} maxLength={1000} placeholder={t('servicedeskMobile.visitNotePlaceholder')} data-testid="m-visit-note" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={step.isPending} data-testid="m-visit-submit">
            {t('servicedeskMobile.visitSubmit')}
          </Button>
        </Form>
      )}
    </div>
  );
}
