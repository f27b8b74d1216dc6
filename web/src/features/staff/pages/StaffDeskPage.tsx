import { Link } from 'react-router-dom';
import { Button, Typography } from 'antd';
import { DesktopOutlined, ScheduleOutlined, ToolOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities, useCurrentMe } from '../../auth/api.ts';
import { FIELD_LINKS } from '../fieldLinks.tsx';

/** Staff who open the phone site: field staff go to their tasks; everyone can open the console. */
export function StaffDeskPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const can = useAbilities();
  const worker = can('ticket.work');
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
          {worker ? t('servicedeskMobile.deskHintWorker') : t('mobile.deskHint')}
        </Typography.Paragraph>
        {worker && (
          <Link to="/tasks">
            <Button type="primary" size="large" block icon={<ScheduleOutlined />} style={{ marginBottom: 12 }} data-testid="open-tasks">
              {t('servicedeskMobile.myTasks')}
            </Button>
          </Link>
        )}
        {FIELD_LINKS.filter((l) => l.abilities.some(can)).map((l) => (
          <Link key={l.to} to={l.to}>
            <Button size="large" block icon={l.icon} style={{ marginBottom: 12 }} data-testid={l.testId}>
              {t(l.label)}
            </Button>
          </Link>
        ))}
        <Button type={worker ? 'default' : 'primary'} size="large" block icon={<DesktopOutlined />} href="/" data-testid="open-console">
          {t('mobile.openConsole')}
        </Button>
      </div>
    </div>
  );
}
