import { useState } from 'react';
import { Button, Card, DatePicker, Form, Input, Select, Table, Tag, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useAbilities } from '../../auth/api.ts';
import { useStaffList } from '../../staff/api.ts';
import { AuditDiff } from '../components/AuditDiff.tsx';
import { useAudit, type AuditEntry, type AuditQuery } from '../api.ts';
import { actionLabel, ENTITY_TYPES, entityTypeLabel } from '../labels.ts';

interface Filters {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** Form values → query; times go out as ISO 8601 with the browser's offset, as the server expects. */
function toQuery(f: Filters): Partial<AuditQuery> {
  const trim = (s?: string) => (s?.trim() ? s.trim() : undefined);
  return {
    entityType: f.entityType,
    entityId: trim(f.entityId),
    actorId: f.actorId,
    action: trim(f.action),
    from: f.range?.[0]?.format() ?? undefined,
    to: f.range?.[1]?.format() ?? undefined,
  };
}

export default function AuditPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Partial<AuditQuery>>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const audit = useAudit({ ...filters, ...page });
  const staff = useStaffList({ pageSize: 200 }, can('staff.read'));
  const actorOptions = (staff.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.displayName}（${s.username}）` }));

  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} />
      <Card style={{ marginBottom: 16 }} styles={{ body: { paddingBottom: 8 } }}>
        <Form
          form={form}
          layout="inline"
          onFinish={(f) => {
            setFilters(toQuery(f));
            setPage((p) => ({ ...p, page: 1 }));
          }}
          style={{ rowGap: 12 }}
        >
          <Form.Item name="entityType" label={t('audit.entityType')}>
            <Select allowClear showSearch optionFilterProp="label" style={{ width: 160 }} options={ENTITY_TYPES.map((e) => ({ value: e, label: entityTypeLabel(t, e) }))} placeholder={t('common.all')} />
          </Form.Item>
          <Form.Item name="entityId" label={t('audit.entityId')}>
            <Input allowClear style={{ width: 200 }} maxLength={64} />
          </Form.Item>
          <Form.Item name="actorId" label={t('audit.actor')}>
            <Select allowClear showSearch optionFilterProp="label" style={{ width: 200 }} options={actorOptions} placeholder={t('common.all')} data-testid="audit-actor" />
          </Form.Item>
          <Form.Item name="action" label={t('audit.actionPrefix')}>
            <Input allowClear style={{ width: 200 }} maxLength={60} placeholder={t('audit.actionPlaceholder')} />
          </Form.Item>
          <Form.Item name="range" label={t('audit.timeRange')}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowEmpty={[true, true]} placeholder={[t('audit.startTime'), t('audit.endTime')]} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {t('common.search')}
            </Button>
          </Form.Item>
          <Form.Item>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
                setPage((p) => ({ ...p, page: 1 }));
              }}
            >
              {t('common.reset')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Card>
        {audit.error && <QueryError error={audit.error} onRetry={() => void audit.refetch()} />}
        <Table<AuditEntry>
          rowKey="id"
          loading={audit.isFetching}
          dataSource={audit.data?.items}
          scroll={{ x: 980 }}
          data-testid="audit-table"
          expandable={{ expandedRowRender: (e) => <AuditDiff before={e.before} after={e.after} /> }}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: audit.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (p, pageSize) => setPage({ page: p, pageSize }),
          }}
          columns={[
            { title: t('audit.at'), dataIndex: 'at', width: 180, render: formatDateTime },
            {
              title: t('audit.actor'),
              dataIndex: 'actorName',
              width: 150,
              render: (v: string | null, e) => (e.actorId ? v : <Tag>{v === 'system' || !v ? t('audit.system') : v}</Tag>),
            },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              render: (a: string) => {
                const label = actionLabel(t, a);
                return (
                  <>
                    {label ?? a}
                    {label && (
                      <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }} code>
                        {a}
                      </Typography.Text>
                    )}
                  </>
                );
              },
            },
            {
              title: t('audit.entity'),
              key: 'entity',
              render: (_, e) => (
                <>
                  <Tag>{entityTypeLabel(t, e.entityType)}</Tag>
                  {e.entityId && (
                    <Typography.Text type="secondary" copyable={{ text: e.entityId }} style={{ fontSize: 12 }}>
                      {e.entityId.length > 12 ? `${e.entityId.slice(0, 8)}…` : e.entityId}
                    </Typography.Text>
                  )}
                </>
              ),
            },
            { title: t('audit.ip'), dataIndex: 'ip', width: 140, render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>
    </>
  );
}
