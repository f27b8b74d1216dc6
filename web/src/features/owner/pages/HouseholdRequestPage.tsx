import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Form, Input, Radio, Skeleton } from 'antd';
import { LeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { householdRequestBody } from '../../../../../src/modules/residents/schema.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { compact, showServerErrors, zodField } from '../../../lib/form.ts';
import { useOwnerHome, useSubmitHouseholdRequest, type HouseholdRequestInput } from '../api.ts';

const shape = householdRequestBody.shape;

/**
 * 添加家庭成员/租客: an owner asks the property office to add someone to one of their homes; staff approve it in the
 * console. A tenant needs the lease period. Dates use the phone's own date picker.
 */
export function HouseholdRequestPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const home = useOwnerHome();
  const submit = useSubmitHouseholdRequest();
  const [form] = Form.useForm<HouseholdRequestInput>();
  const [formError, setFormError] = useState<string | null>(null);
  const relation = Form.useWatch('relation', form);

  if (home.error) return <div className="m-page"><QueryError error={home.error} onRetry={() => void home.refetch()} /></div>;
  if (!home.data) return <div className="m-page"><Skeleton active /></div>;
  const owned = home.data.rooms.filter((r) => r.relation === 'owner');
  const initialRoom = owned.find((r) => r.id === params.get('room'))?.id ?? owned[0]?.id;

  const onFinish = (v: HouseholdRequestInput) => {
    setFormError(null);
    const tenant = v.relation === 'tenant';
    submit.mutate(compact({ ...v, phone: v.phone || null, leaseStart: tenant ? v.leaseStart : null, leaseEnd: tenant ? v.leaseEnd : null }), {
      onSuccess: () => {
        void message.success(t('mobile.requestSent'));
        navigate('/', { replace: true });
      },
      onError: (err) => setFormError(showServerErrors(form, err)),
    });
  };

  return (
    <div className="m-page">
      <Button type="link" icon={<LeftOutlined />} onClick={() => navigate(-1)} style={{ paddingInline: 0, marginBottom: 4 }}>
        {t('mobile.back')}
      </Button>
      <div className="m-card">
        {owned.length === 0 ? (
          <Alert type="info" showIcon title={t('mobile.requestOnlyOwner')} />
        ) : (
          <>
            <p style={{ margin: '0 0 16px', color: '#888', fontSize: 14 }}>{t('mobile.requestIntro')}</p>
            {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="m-request-error" />}
            <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ roomId: initialRoom, relation: 'family' }} requiredMark={false}>
              <Form.Item name="roomId" label={t('mobile.requestRoom')} {...zodField(shape.roomId)}>
                <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
                  {owned.map((r) => (
                    <Radio key={r.id} value={r.id} className="m-choice" style={{ display: 'flex' }}>
                      {r.community} · {r.label}
                    </Radio>
                  ))}
                </Radio.Group>
              </Form.Item>
              <Form.Item name="relation" label={t('mobile.requestRelation')} {...zodField(shape.relation)}>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  style={{ display: 'flex' }}
                  options={(['family', 'tenant'] as const).map((r) => ({ value: r, label: <span data-testid={`m-relation-${r}`}>{t(`mobile.relations.${r}`)}</span>, style: { flex: 1, textAlign: 'center' } }))}
                />
              </Form.Item>
              <Form.Item name="name" label={t('mobile.requestName')} {...zodField(shape.name)}>
                <Input maxLength={40} autoComplete="off" data-testid="m-request-name" />
              </Form.Item>
              <Form.Item name="phone" label={t('mobile.requestPhone')} extra={t('mobile.requestPhoneHint')} {...zodField(shape.phone)}>
                <Input inputMode="tel" maxLength={11} data-testid="m-request-phone" />
              </Form.Item>
              {relation === 'tenant' && (
                <div style={{ display: 'flex', gap: 12 }}>
                  <Form.Item name="leaseStart" label={t('mobile.leaseStart')} style={{ flex: 1 }} rules={[{ required: true, message: t('validation.required') }]}>
                    <Input type="date" data-testid="m-lease-start" />
                  </Form.Item>
                  <Form.Item name="leaseEnd" label={t('mobile.leaseEnd')} style={{ flex: 1 }} rules={[{ required: true, message: t('validation.required') }]}>
                    <Input type="date" data-testid="m-lease-end" />
                  </Form.Item>
                </div>
              )}
              <Form.Item name="note" label={t('mobile.requestNote')} {...zodField(shape.note)}>
                <Input.TextArea rows={2} maxLength={300} placeholder={t('mobile.requestNotePlaceholder')} />
              </Form.Item>
              <Button type="primary" htmlType="submit" block size="large" loading={submit.isPending} data-testid="m-request-submit">
                {t('mobile.requestSubmit')}
              </Button>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
