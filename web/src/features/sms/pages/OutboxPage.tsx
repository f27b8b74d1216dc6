import { useState } from 'react';
import { Badge, Button, Card, Flex, Input, Table, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { zhCN } from '../../../i18n/zh-CN.ts';
import { useOutbox, type OutboxMessage, type OutboxQuery } from '../api.ts';

const STATUS_BADGE: Record<OutboxMessage['status'], 'processing' | 'success' | 'error' | 'default'> = {
  queued: 'processing',
  sent: 'success',
  failed: 'error',
  stored: 'default',
};

type TemplateKey = keyof typeof zhCN.sms.templates;

/** The message text with any 6-digit login code set in bold, since that is what people come here to read. */
function Body({ text }: { text: string }) {
  const parts = text.split(/(?<!\d)(\d{6})(?!\d)/);
  return (
    <span data-testid="sms-body">
      {parts.map((p, i) => (/^\d{6}$/.test(p) ? <Typography.Text key={i} strong copyable={{ text: p }} style={{ fontSize: 15 }}>{p}</Typography.Text> : p))}
    </span>
  );
}

export default function OutboxPage() {
  const { t } = useTranslation();
  const [query, setQuery] = useState<OutboxQuery>({ page: 1, pageSize: 20 });
  const outbox = useOutbox(query);
  const template = (k: string) => {
    const key = k.replace(/\./g, '_');
    return Object.hasOwn(zhCN.sms.templates, key) ? t(`sms.templates.${key as TemplateKey}`) : k;
  };

  return (
    <>
      <PageHeader title={t('sms.title')} subtitle={t('sms.subtitle')} />
      <Card>
        <Flex gap={12} align="center" wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('sms.phonePlaceholder')}
            inputMode="tel"
            onSearch={(v) => setQuery((q) => ({ ...q, phone: v.trim() || undefined, page: 1 }))}
            style={{ width: 240 }}
            data-testid="sms-phone-search"
          />
          <Button icon={<ReloadOutlined />} onClick={() => void outbox.refetch()} loading={outbox.isFetching}>
            {t('common.refresh')}
          </Button>
          <Typography.Text type="secondary">{t('sms.autoRefresh')}</Typography.Text>
        </Flex>
        {outbox.error && <QueryError error={outbox.error} onRetry={() => void outbox.refetch()} />}
        <Table<OutboxMessage>
          rowKey="id"
          loading={outbox.isPending}
          dataSource={outbox.data?.items}
          scroll={{ x: 900 }}
          data-testid="sms-table"
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: outbox.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setQuery((q) => ({ ...q, page, pageSize })),
          }}
          columns={[
            { title: t('sms.createdAt'), dataIndex: 'createdAt', width: 180, render: formatDateTime },
            { title: t('sms.phone'), dataIndex: 'phone', width: 140 },
            { title: t('sms.body'), dataIndex: 'body', render: (v: string) => <Body text={v} /> },
            { title: t('sms.template'), dataIndex: 'template', width: 150, render: template },
            {
              title: t('sms.status'),
              dataIndex: 'status',
              width: 160,
              render: (s: OutboxMessage['status'], m) => (
                <Badge status={STATUS_BADGE[s]} text={m.error ? `${t(`sms.statuses.${s}`)}：${m.error}` : t(`sms.statuses.${s}`)} />
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
