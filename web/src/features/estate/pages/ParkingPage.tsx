import { useState } from 'react';
import { Button, Card, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAbilities, useCurrentMe } from '../../auth/api.ts';
import { ExportButton, ImportButton } from '../../imports/components/ExcelButtons.tsx';
import { useParkingSpaces, type ParkingQuery, type ParkingSpace } from '../api.ts';
import { HoldingsDrawer } from '../components/HoldingsDrawer.tsx';
import { ParkingFormModal } from '../components/ParkingFormModal.tsx';

/** 车位管理: parking spaces, above and under ground, fixed (sold or rented) or shared. */
export default function ParkingPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const me = useCurrentMe();
  const manage = can('estate.manage');
  const { community } = useCurrentCommunity();
  const [query, setQuery] = useState<ParkingQuery>({ page: 1, pageSize: 20 });
  const [form, setForm] = useState<{ open: boolean; space?: ParkingSpace }>({ open: false });
  const [holdings, setHoldings] = useState<ParkingSpace | null>(null);
  const list = useParkingSpaces({ ...query, communityId: community?.id });
  const filter = (patch: ParkingQuery) => setQuery((x) => ({ ...x, ...patch, page: 1 }));
  const communityName = (id: string) => me.communities.find((c) => c.id === id)?.name ?? '';

  return (
    <>
      <PageHeader
        title={t('parking.title')}
        subtitle={t('parking.subtitle')}
        extra={
          <>
            {manage && <ImportButton kind="parking" communityId={community?.id} />}
            <ExportButton kind="parking" communityId={community?.id} />
            {manage && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ open: true })} data-testid="parking-create">
                {t('parking.create')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder={t('parking.searchPlaceholder')} onSearch={(v) => filter({ q: v.trim() || undefined })} style={{ width: 200 }} data-testid="parking-search" />
          <Select allowClear placeholder={t('parking.area')} value={query.area} onChange={(area) => filter({ area })} style={{ width: 120 }} options={(['under', 'above'] as const).map((a) => ({ value: a, label: t(`parking.areas.${a}`) }))} />
          <Select allowClear placeholder={t('parking.mode')} value={query.mode} onChange={(mode) => filter({ mode })} style={{ width: 120 }} options={(['fixed', 'shared'] as const).map((m) => ({ value: m, label: t(`parking.modes.${m}`) }))} />
        </Flex>
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<ParkingSpace>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          data-testid="parking-table"
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setQuery((x) => ({ ...x, page, pageSize })),
          }}
          columns={[
            { title: t('parking.number'), dataIndex: 'number', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            ...(community ? [] : [{ title: t('room.community'), dataIndex: 'communityId', render: communityName }]),
            { title: t('parking.area'), dataIndex: 'area', render: (a: ParkingSpace['area']) => t(`parking.areas.${a}`) },
            { title: t('parking.kind'), dataIndex: 'kind', render: (k: ParkingSpace['kind']) => t(`parking.kinds.${k}`) },
            { title: t('parking.mode'), dataIndex: 'mode', render: (m: ParkingSpace['mode']) => <Tag color={m === 'fixed' ? 'blue' : 'default'}>{t(`parking.modes.${m}`)}</Tag> },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, s) => (
                <Space size={0}>
                  {manage && (
                    <Button type="link" size="small" onClick={() => setForm({ open: true, space: s })}>
                      {t('common.edit')}
                    </Button>
                  )}
                  {can('resident.read') && (
                    <Button type="link" size="small" onClick={() => setHoldings(s)} data-testid="parking-holdings">
                      {t('parking.holdingsAction')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <ParkingFormModal open={form.open} space={form.space} communityId={community?.id ?? me.communities[0]?.id} onClose={() => setForm({ open: false })} />
      <HoldingsDrawer space={holdings} onClose={() => setHoldings(null)} />
    </>
  );
}
