import { App, Button, Card, Col, Descriptions, Popconfirm, Row, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { describeUserAgent, formatDateTime } from '../../../lib/format.ts';
import { ChangePasswordForm } from '../components/ChangePasswordForm.tsx';
import { currentLang } from '../../../i18n/index.ts';
import { roleName } from '../../roles/labels.ts';
import { useCurrentMe, useRevokeSession, useSessions, type SessionInfo } from '../api.ts';

function SessionsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const sessions = useSessions();
  const revoke = useRevokeSession();
  return (
    <Card title={t('account.sessions')}>
      <Typography.Paragraph type="secondary">{t('account.sessionsHint')}</Typography.Paragraph>
      {sessions.error && <QueryError error={sessions.error} onRetry={() => void sessions.refetch()} />}
      <Table<SessionInfo>
        rowKey="id"
        size="middle"
        loading={sessions.isPending}
        dataSource={sessions.data?.items}
        pagination={false}
        scroll={{ x: 760 }}
        columns={[
          {
            title: t('account.device'),
            key: 'device',
            render: (_, s) => (
              <>
                {describeUserAgent(s.userAgent) ?? t('account.unknownDevice')}
                {s.current && <Tag color="green" style={{ marginLeft: 8 }}>{t('account.current')}</Tag>}
              </>
            ),
          },
          { title: t('account.ip'), dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
          { title: t('account.loginAt'), dataIndex: 'createdAt', render: formatDateTime },
          { title: t('account.lastSeenAt'), dataIndex: 'lastSeenAt', render: formatDateTime },
          { title: t('account.expiresAt'), dataIndex: 'expiresAt', render: formatDateTime },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            render: (_, s) =>
              s.current ? null : (
                <Popconfirm
                  title={t('account.revokeConfirm')}
                  onConfirm={() =>
                    revoke.mutateAsync(s.id).then(
                      () => void message.success(t('account.revoked')),
                      (err: Error) => void message.error(err.message),
                    )
                  }
                >
                  <Button type="link" danger size="small">{t('account.revoke')}</Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Card>
  );
}

export default function AccountPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const roles = me.user.kind === 'operator' ? t('header.operator') : me.user.roles.map((r) => roleName(r.name, currentLang())).join('、');
  return (
    <>
      <PageHeader title={t('account.title')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('account.profile')} style={{ height: '100%' }}>
            <Descriptions
              column={1}
              styles={{ label: { width: 120 } }}
              items={[
                { key: 'name', label: t('account.displayName'), children: me.user.displayName },
                { key: 'username', label: t('account.username'), children: me.user.username ?? '—' },
                ...(me.user.companyName ? [{ key: 'company', label: t('account.company'), children: me.user.companyName }] : []),
                { key: 'roles', label: t('account.roles'), children: roles || '—' },
                { key: 'phone', label: t('account.phone'), children: me.user.phone ?? '—' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('auth.changePassword')} style={{ height: '100%' }}>
            <ChangePasswordForm />
          </Card>
        </Col>
        <Col span={24}>
          <SessionsCard />
        </Col>
      </Row>
    </>
  );
}
