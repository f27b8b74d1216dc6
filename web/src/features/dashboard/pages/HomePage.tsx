import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Card, Col, Flex, Row, Statistic, Tag, Typography, theme } from 'antd';
import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  BuildOutlined,
  IdcardOutlined,
  SafetyOutlined,
  SolutionOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { isGroup, navFor, visibleNav } from '../../../app/console/nav.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useAbilities, useCurrentMe } from '../../auth/api.ts';
import { useAudit } from '../../audit/api.ts';
import { useCommunities } from '../../communities/api.ts';
import { useStaffList } from '../../staff/api.ts';
import { useRooms } from '../../estate/api.ts';
import { useHouseholdRequests, useResidents } from '../../residents/api.ts';
import type { zhCN } from '../../../i18n/zh-CN.ts';

type DashboardKey = keyof typeof zhCN.dashboard;

function StatCard({ title, icon, color, value, loading, allowed, testId, hint, to }: {
  title: string;
  icon: ReactNode;
  color: string;
  value: ReactNode;
  loading?: boolean;
  allowed: boolean;
  testId: string;
  hint?: string;
  /** A shortcut: the card opens this page. */
  to?: string;
}) {
  const { t } = useTranslation();
  const card = (
    <Card style={{ height: '100%' }} data-testid={testId} hoverable={Boolean(to && allowed)}>
      <Flex gap={16} align="flex-start">
        <Flex align="center" justify="center" style={{ width: 48, height: 48, borderRadius: 12, background: `${color}14`, color, fontSize: 22, flex: 'none' }}>
          {icon}
        </Flex>
        <div style={{ minWidth: 0, flex: 1 }}>
          {!allowed ? (
            <Statistic title={title} value={t('dashboard.noAccess')} styles={{ content: { fontSize: 16, color: '#999', lineHeight: '38px' } }} />
          ) : typeof value === 'number' ? (
            <Statistic title={title} value={value} loading={loading} />
          ) : (
            <Statistic title={title} value=" " formatter={() => value} />
          )}
          {hint && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{hint}</Typography.Text>}
        </div>
      </Flex>
    </Card>
  );
  return to && allowed ? (
    <Link to={to} style={{ display: 'block', height: '100%' }}>
      {card}
    </Link>
  ) : (
    card
  );
}

// Modules still being built; each gets its own cards here when it lands.
const UPCOMING: Array<{ key: DashboardKey; desc: DashboardKey; icon: ReactNode }> = [
  { key: 'modulePatrol', desc: 'modulePatrolDesc', icon: <SafetyOutlined /> },
];

export default function HomePage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const me = useCurrentMe();
  const can = useAbilities();
  const { community } = useCurrentCommunity();
  // Cheap counts: one row of each list and its total, for the header's community.
  const rooms = useRooms({ pageSize: 1, communityId: community?.id }, can('estate.read'));
  const occupied = useRooms({ pageSize: 1, communityId: community?.id, status: 'occupied' }, can('estate.read'));
  const residents = useResidents({ pageSize: 1, communityId: community?.id }, can('resident.read'));
  const requests = useHouseholdRequests({ pageSize: 1, status: 'pending' }, can('resident.read'));
  const communities = useCommunities({ pageSize: 1 }, can('community.read'));
  const staff = useStaffList({ pageSize: 1 }, can('staff.read'));
  const today = dayjs().startOf('day').format();
  const audit = useAudit({ from: today, pageSize: 1 }, can('audit.read'));
  const shortcuts = visibleNav(navFor(me.user.kind), can).flatMap((i) => (isGroup(i) ? i.pages : []));

  return (
    <>
      <PageHeader title={t('dashboard.title')} />
      <Card
        style={{ marginBottom: 16, background: `linear-gradient(100deg, ${token.colorPrimary} 0%, #4096ff 60%, #69b1ff 100%)`, border: 'none' }}
        styles={{ body: { padding: '24px 28px' } }}
      >
        <Typography.Title level={3} style={{ color: '#fff', margin: 0 }} data-testid="welcome">
          {t('dashboard.welcome', { name: me.user.displayName })}
        </Typography.Title>
        <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.85)', margin: '8px 0 0' }}>
          {t('dashboard.welcomeHint', { date: dayjs().format(t('dashboard.dateFormat')) })}
          {'　'}
          <Tag color="rgba(255,255,255,0.2)" style={{ color: '#fff', border: 'none' }} data-testid="home-community">
            {t('dashboard.currentCommunity', { name: community?.name ?? t('header.allCommunities') })}
          </Tag>
        </Typography.Paragraph>
      </Card>

      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} sm={12} xl={6}>
          <StatCard
            testId="stat-company"
            title={t('dashboard.company')}
            icon={<BankOutlined />}
            color="#1677ff"
            allowed
            value={<span style={{ display: 'block', fontSize: 16, fontWeight: 600, lineHeight: 1.5, paddingTop: 4 }}>{me.user.companyName}</span>}
          />
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <StatCard testId="stat-communities" title={t('dashboard.communities')} icon={<ApartmentOutlined />} color="#13c2c2" allowed={can('community.read')} value={communities.data?.total ?? 0} loading={communities.isPending && can('community.read')} />
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <StatCard testId="stat-staff" title={t('dashboard.staff')} icon={<TeamOutlined />} color="#722ed1" allowed={can('staff.read')} value={staff.data?.total ?? 0} loading={staff.isPending && can('staff.read')} />
        </Col>
        <Col xs={24} sm={12} xl={6}>
          <StatCard testId="stat-audit" title={t('dashboard.auditToday')} icon={<AuditOutlined />} color="#fa8c16" allowed={can('audit.read')} value={audit.data?.total ?? 0} loading={audit.isPending && can('audit.read')} />
        </Col>
      </Row>

      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} sm={12} xl={8}>
          <StatCard
            testId="stat-rooms"
            to="/estate"
            title={t('dashboard.rooms')}
            icon={<BuildOutlined />}
            color="#0072b2"
            allowed={can('estate.read')}
            value={rooms.data?.total ?? 0}
            loading={rooms.isPending && can('estate.read')}
            hint={occupied.data && rooms.data?.total ? t('dashboard.roomsHint', { occupied: occupied.data.total, percent: Math.round((occupied.data.total / rooms.data.total) * 100) }) : undefined}
          />
        </Col>
        <Col xs={24} sm={12} xl={8}>
          <StatCard
            testId="stat-residents"
            to="/residents"
            title={t('dashboard.residents')}
            icon={<IdcardOutlined />}
            color="#009e73"
            allowed={can('resident.read')}
            value={residents.data?.total ?? 0}
            loading={residents.isPending && can('resident.read')}
            hint={t('dashboard.residentsHint')}
          />
        </Col>
        <Col xs={24} sm={12} xl={8}>
          <StatCard
            testId="stat-requests"
            to="/residents/requests"
            title={t('dashboard.pendingRequests')}
            icon={<SolutionOutlined />}
            color="#d55e00"
            allowed={can('resident.read')}
            value={requests.data?.total ?? 0}
            loading={requests.isPending && can('resident.read')}
            hint={t('dashboard.pendingRequestsHint')}
          />
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={8}>
          <Card title={t('dashboard.shortcuts')} style={{ height: '100%' }}>
            <Row gutter={[12, 12]}>
              {shortcuts.map((p) => (
                <Col span={12} key={p.key}>
                  <Link to={p.path} data-testid={`shortcut-${p.key}`} style={{ display: 'block', height: '100%' }}>
                    <Flex align="center" gap={10} style={{ height: '100%', minHeight: 44, padding: '8px 12px', borderRadius: 8, background: token.colorFillQuaternary, color: token.colorText, lineHeight: 1.3 }}>
                      <span style={{ color: token.colorPrimary, fontSize: 18 }}>{p.icon}</span>
                      {t(`nav.${p.label}`)}
                    </Flex>
                  </Link>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
        <Col xs={24} xl={16}>
          <Card title={t('dashboard.upcoming')} extra={<Tag color="processing">{t('common.comingSoon')}</Tag>} style={{ height: '100%' }} data-testid="upcoming-modules">
            <Typography.Paragraph type="secondary">{t('dashboard.upcomingHint')}</Typography.Paragraph>
            <Row gutter={[12, 12]}>
              {UPCOMING.map((m) => (
                <Col xs={24} sm={12} lg={8} key={m.key}>
                  <Flex gap={12} align="flex-start" style={{ padding: 14, borderRadius: 8, border: `1px dashed ${token.colorBorder}`, height: '100%' }}>
                    <span style={{ fontSize: 20, color: token.colorTextTertiary }}>{m.icon}</span>
                    <div>
                      <Typography.Text strong>{t(`dashboard.${m.key}`)}</Typography.Text>
                      <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 13 }}>
                        {t(`dashboard.${m.desc}`)}
                      </Typography.Paragraph>
                    </div>
                  </Flex>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      </Row>
    </>
  );
}
