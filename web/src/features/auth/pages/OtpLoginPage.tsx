import { useEffect, useState } from 'react';
import { Alert, App, Button, Flex, Form, Input, Radio, Typography } from 'antd';
import { LockOutlined, MobileOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { otpVerifyBody } from '../../../../../src/modules/auth/schema.ts';
import { LanguageSwitch } from '../../../components/LanguageSwitch.tsx';
import { ApiError } from '../../../lib/api.ts';
import { zodField } from '../../../lib/form.ts';
import { useOtpRequest, useOtpVerify } from '../api.ts';
import { staffLoginHref } from '../next.ts';
import { useLocation } from 'react-router-dom';

interface Values {
  phone: string;
  code: string;
}

type CompanyChoice = { id: string; name: string };

/** The server's 400 when the phone belongs to owners of several companies lists them in details.companies. */
function companiesOf(err: unknown): CompanyChoice[] | null {
  if (!(err instanceof ApiError) || err.status !== 400) return null;
  const list = (err.details as { companies?: unknown } | null)?.companies;
  return Array.isArray(list) ? (list as CompanyChoice[]) : null;
}

function useCountdown(): [number, (seconds: number) => void] {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  return [left, setLeft];
}

/** Owners log in with their phone number and a 6-digit code sent by SMS. */
export function OtpLoginPage() {
  const location = useLocation();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const request = useOtpRequest();
  const verify = useOtpVerify();
  const [cooldown, startCooldown] = useCountdown();
  const [error, setError] = useState<string | null>(null);
  const [companies, setCompanies] = useState<CompanyChoice[] | null>(null);
  const [companyId, setCompanyId] = useState<string | undefined>();

  useEffect(() => {
    document.title = `${t('mobile.loginTitle')} · ${t('app.ownerSiteTitle')}`;
  }, [t]);

  const sendCode = async () => {
    setError(null);
    try {
      await form.validateFields(['phone']);
    } catch {
      return;
    }
    const phone = form.getFieldValue('phone').trim();
    request.mutate(phone, {
      onSuccess: (r) => {
        startCooldown(r.cooldownSeconds);
        void message.success(t('mobile.codeSent', { minutes: Math.round(r.expiresInSeconds / 60) }));
      },
      onError: (err) => {
        setError(err.message);
        const retry = err instanceof ApiError ? (err.details as { retryAfterSeconds?: number } | null)?.retryAfterSeconds : undefined;
        if (retry) startCooldown(retry);
      },
    });
  };

  const login = (v: Values, chosen?: string) => {
    setError(null);
    verify.mutate(
      { phone: v.phone.trim(), code: v.code.trim(), ...(chosen && { companyId: chosen }) },
      {
        onError: (err) => {
          const choices = companiesOf(err);
          if (choices) {
            setCompanies(choices);
            setCompanyId(choices[0]?.id);
          } else {
            setError(err.message);
          }
        },
      },
    );
  };

  return (
    <div className="m-login">
      <div className="m-login-hero">
        <Flex justify="flex-end">
          <LanguageSwitch />
        </Flex>
        <Flex align="center" gap={12} style={{ marginTop: 8 }}>
          <img src="/favicon.svg" alt="" width={44} height={44} style={{ borderRadius: 12, boxShadow: '0 4px 12px rgba(0,0,0,0.15)' }} />
          <div>
            <div style={{ fontSize: 22, fontWeight: 600 }}>{t('app.ownerSiteTitle')}</div>
            <div style={{ opacity: 0.85, fontSize: 14 }}>{t('app.tagline')}</div>
          </div>
        </Flex>
      </div>
      <div className="m-card m-login-card">
        <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 4 }} data-testid="page-title">
          {t('mobile.loginTitle')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 20 }}>
          {t('mobile.loginSubtitle')}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="m-login-error" />}

        {companies ? (
          <div data-testid="company-chooser">
            <Typography.Text strong style={{ fontSize: 16 }}>{t('mobile.chooseCompany')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 12px' }}>{t('mobile.chooseCompanyHint')}</Typography.Paragraph>
            <Radio.Group value={companyId} onChange={(e) => setCompanyId(e.target.value as string)} style={{ width: '100%' }}>
              <Flex vertical gap={8}>
                {companies.map((c) => (
                  <Radio key={c.id} value={c.id} className="m-choice">
                    {c.name}
                  </Radio>
                ))}
              </Flex>
            </Radio.Group>
            <Button type="primary" block size="large" style={{ marginTop: 16 }} loading={verify.isPending} disabled={!companyId} onClick={() => login(form.getFieldsValue(), companyId)}>
              {t('mobile.continue')}
            </Button>
            <Button type="link" block onClick={() => setCompanies(null)} style={{ marginTop: 4 }}>
              {t('common.cancel')}
            </Button>
          </div>
        ) : null}

        <Form form={form} layout="vertical" size="large" requiredMark={false} onFinish={(v) => login(v)} style={{ display: companies ? 'none' : undefined }}>
          <Form.Item name="phone" label={t('mobile.phone')} {...zodField(otpVerifyBody.shape.phone)}>
            <Input prefix={<MobileOutlined />} inputMode="numeric" autoComplete="tel" maxLength={11} placeholder={t('mobile.phonePlaceholder')} data-testid="m-phone" />
          </Form.Item>
          <Form.Item label={t('mobile.code')} required={false}>
            <Flex gap={8}>
              <Form.Item name="code" noStyle {...zodField(otpVerifyBody.shape.code, 'validation.code')}>
                <Input prefix={<LockOutlined />} inputMode="numeric" autoComplete="one-time-code" maxLength={6} placeholder={t('mobile.codePlaceholder')} data-testid="m-code" />
              </Form.Item>
              <Button onClick={() => void sendCode()} disabled={cooldown > 0} loading={request.isPending} style={{ flex: 'none', minWidth: 120 }} data-testid="m-get-code">
                {cooldown > 0 ? t('mobile.resendIn', { seconds: cooldown }) : t('mobile.getCode')}
              </Button>
            </Flex>
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={verify.isPending} data-testid="m-login-submit" style={{ marginTop: 8 }}>
            {t('mobile.login')}
          </Button>
        </Form>
      </div>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', padding: '16px 24px', fontSize: 13 }}>
        {t('mobile.staffHint')} · <a href={staffLoginHref(location.state)}>{t('mobile.staffLink')}</a>
      </Typography.Paragraph>
    </div>
  );
}
