import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Col, Form, InputNumber, Radio, Row, Switch, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { settingsBody } from '../../../../../../src/modules/servicedesk/config-schema.ts';
import { FullPageSpin } from '../../../../components/FullPageSpin.tsx';
import { QueryError } from '../../../../components/QueryError.tsx';
import { showServerErrors, zodField } from '../../../../lib/form.ts';
import { formatDateTime } from '../../../../lib/format.ts';
import { useDeskSettings, useSaveSettings, type DeskSettings, type SettingsInput } from '../../config-api.ts';

type Values = Omit<SettingsInput, 'businessStart' | 'businessEnd' | 'lunchStart' | 'lunchEnd'> & {
  businessStart: Dayjs;
  businessEnd: Dayjs;
  hasLunch: boolean;
  lunchStart?: Dayjs;
  lunchEnd?: Dayjs;
};

const shape = settingsBody.shape;
const hm = (v: string | null) => (v ? dayjs(v, 'HH:mm') : undefined);

function initial(s: DeskSettings): Values {
  return {
    ...s,
    businessStart: hm(s.businessStart)!,
    businessEnd: hm(s.businessEnd)!,
    hasLunch: s.lunchStart !== null,
    lunchStart: hm(s.lunchStart),
    lunchEnd: hm(s.lunchEnd),
  };
}

function Percent({ name, label, extra, min = 0, max = 100, testId }: { name: keyof Values; label: string; extra?: string; min?: number; max?: number; testId?: string }) {
  return (
    <Form.Item name={name} label={label} extra={extra} {...zodField(shape[name as keyof typeof shape])}>
      <InputNumber min={min} max={max} precision={0} suffix="%" style={{ width: 140 }} data-testid={testId} />
    </Form.Item>
  );
}

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card size="small" title={title} style={{ marginBottom: 16 }}>
      <Row gutter={24}>{children}</Row>
    </Card>
  );
}

/** 通用设置: business hours (for 工作日 and 半天 limits), the at-risk point, return visits, targets and SMS. */
export function GeneralTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const q = useDeskSettings();
  const save = useSaveSettings();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);
  const hasLunch = Form.useWatch('hasLunch', form);

  if (q.isPending) return <FullPageSpin />;
  if (q.error || !q.data) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const { hasLunch: lunch, ...rest } = v;
    const input: SettingsInput = {
      ...rest,
      businessStart: v.businessStart.format('HH:mm'),
      businessEnd: v.businessEnd.format('HH:mm'),
      lunchStart: lunch && v.lunchStart ? v.lunchStart.format('HH:mm') : null,
      lunchEnd: lunch && v.lunchEnd ? v.lunchEnd.format('HH:mm') : null,
    };
    // Only the settings' own fields: the form's initial values carried the response's extras.
    save.mutate(Object.fromEntries(Object.keys(shape).map((k) => [k, input[k as keyof SettingsInput]])) as SettingsInput, {
      onSuccess: () => void message.success(t('common.saved')),
      onError: (err) => setFormError(showServerErrors(form, err)),
    });
  };

  const time = (name: 'businessStart' | 'businessEnd' | 'lunchStart' | 'lunchEnd', label: string, disabled = false) => (
    <Col xs={12} md={6}>
      <Form.Item name={name} label={label} rules={disabled ? [] : [{ required: true, message: t('validation.required') }]}>
        <TimePicker format="HH:mm" minuteStep={5} disabled={disabled} style={{ width: '100%' }} data-testid={`settings-${name}`} />
      </Form.Item>
    </Col>
  );

  return (
    <Form<Values> form={form} layout="vertical" initialValues={initial(q.data)} style={{ maxWidth: 1000 }} data-testid="settings-form">
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Block title={t('servicedesk.settings.general.hours')}>
        {time('businessStart', t('servicedesk.settings.general.businessStart'))}
        {time('businessEnd', t('servicedesk.settings.general.businessEnd'))}
        <Col xs={24} md={12}>
          <Form.Item name="hasLunch" label={t('servicedesk.settings.general.lunch')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        {time('lunchStart', t('servicedesk.settings.general.lunchStart'), !hasLunch)}
        {time('lunchEnd', t('servicedesk.settings.general.lunchEnd'), !hasLunch)}
        <Col xs={12} md={6}>
          <Form.Item name="halfDayHours" label={t('servicedesk.settings.general.halfDayHours')} {...zodField(shape.halfDayHours)}>
            <InputNumber min={1} max={12} precision={0} suffix={t('servicedesk.settings.general.hoursUnit')} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="halfDayOn" label={t('servicedesk.settings.general.halfDayOn')}>
            <Radio.Group options={(['everyDay', 'workingDays'] as const).map((v) => ({ value: v, label: t(`servicedesk.settings.general.halfDayOnOptions.${v}`) }))} />
          </Form.Item>
        </Col>
      </Block>
      <Block title={t('servicedesk.settings.general.clocks')}>
        <Col xs={24} md={8}>
          <Percent name="atRiskPercent" label={t('servicedesk.settings.general.atRiskPercent')} extra={t('servicedesk.settings.general.atRiskHint')} min={1} max={99} testId="settings-at-risk" />
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="autoConfirmDays" label={t('servicedesk.settings.general.autoConfirmDays')} extra={t('servicedesk.settings.general.autoConfirmHint')} {...zodField(shape.autoConfirmDays)}>
            <InputNumber min={1} max={30} precision={0} suffix={t('servicedesk.settings.general.daysUnit')} style={{ width: 140 }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="committeeQuorum" label={t('servicedesk.settings.general.committeeQuorum')} extra={t('servicedesk.settings.general.committeeQuorumHint')} {...zodField(shape.committeeQuorum)}>
            <InputNumber min={1} max={20} precision={0} suffix={t('servicedesk.settings.general.peopleUnit')} style={{ width: 140 }} />
          </Form.Item>
        </Col>
      </Block>
      <Block title={t('servicedesk.settings.general.visits')}>
        <Col xs={24} md={8}>
          <Percent name="returnVisitSamplePercent" label={t('servicedesk.settings.general.returnVisitSamplePercent')} extra={t('servicedesk.settings.general.sampleHint')} testId="settings-sample" />
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="returnVisitMaxAttempts" label={t('servicedesk.settings.general.returnVisitMaxAttempts')} {...zodField(shape.returnVisitMaxAttempts)}>
            <InputNumber min={1} max={10} precision={0} style={{ width: 140 }} />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Typography.Text type="secondary">{t('servicedesk.settings.general.questions')}</Typography.Text>
          <ol style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
            {q.data.returnVisitQuestions.map((x) => (
              <li key={x.key}>{t('servicedesk.settings.general.questionText', { zh: x.zh, en: x.en })}</li>
            ))}
          </ol>
        </Col>
      </Block>
      <Block title={t('servicedesk.settings.general.targets')}>
        <Col xs={24} md={8}>
          <Percent name="timelinessTarget" label={t('servicedesk.settings.general.timelinessTarget')} />
        </Col>
        <Col xs={24} md={8}>
          <Percent name="satisfactionTarget" label={t('servicedesk.settings.general.satisfactionTarget')} />
        </Col>
        <Col xs={24} md={8}>
          <Percent name="returnVisitTarget" label={t('servicedesk.settings.general.returnVisitTarget')} />
        </Col>
      </Block>
      <Block title={t('servicedesk.settings.general.notify')}>
        <Col xs={24}>
          <Form.Item name="notifyOwnerSms" label={t('servicedesk.settings.general.notifyOwnerSms')} extra={t('servicedesk.settings.general.notifyOwnerSmsHint')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
      </Block>
      <Button type="primary" onClick={() => void submit()} loading={save.isPending} data-testid="settings-save">
        {t('common.save')}
      </Button>
      <Typography.Text type="secondary" style={{ marginInlineStart: 12, fontSize: 12 }}>
        {t('common.updatedAt')} {formatDateTime(q.data.updatedAt)}
      </Typography.Text>
    </Form>
  );
}
