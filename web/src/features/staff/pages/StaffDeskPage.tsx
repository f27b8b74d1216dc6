import { Button, Typography } from 'antd';
import { DesktopOutlined, ToolOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../auth/api.ts';

/** Staff who open the phone site: a placeholder workbench until the field-staff pages arrive. */
export function StaffDeskPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  return (
    <div className="m-page">
      <div className="m-hero">
        <div style={{ fontSize: 22, fontWeight: 600 }} data-testid="desk-name">
          {t('mobile.deskHello', { name: me.user.displayName })}
        </div>
        <div style={{ opacity: 0.85, marginTop: 4 }}>{me.user.companyName ?? t('header.operator')}</div>
      </div>
      <div className="m-card" style={{ textAlign: 'center', padding: '28px 20px' }}>
        <ToolOutlined style={{ fontSize: 40, color: '#1677ff' }} />
        <Typography.Paragraph type="secondary" style={{ margin: '16px 0 20px' }}>
          {t('mobile.deskHint')}
        </Typography.Paragraph>
        <Button type="primary" size="large" block icon={<DesktopOutlined />} href="/" data-testid="open-console">
          {t('mobile.openConsole')}
        </Button>
      </div>
    </div>
  );
}
