import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { CommunitySelect } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAbilities } from '../../auth/api.ts';
import { ExportButton, ImportButton } from '../../imports/components/ExcelButtons.tsx';
import { CARE_FLAGS, CareFlagTags, RELATIONS, RelationTag } from '../labels.tsx';
import { useResidents, type Resident, type ResidentQuery } from '../api.ts';
import { ResidentDrawer } from '../components/ResidentDrawer.tsx';
import { ResidentFormModal } from '../components/ResidentFormModal.tsx';

/**
 * 住户查询: one box for name, phone, its last 4 digits, plate or room number, across the caller's communities;
 * phone and ID number masked. A row opens the resident's drawer.
 */
export default function ResidentsPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const { community } = useCurrentCommunity();
  const [params, setParams] = useSearchParams();
  const [query, setQuery] = useState<ResidentQuery>({ page: 1, pageSize: 20, q: params.get('q') ?? undefined });
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [localCommunity, setLocalCommunity] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const open = params.get('open');
  const communityId = community?.id ?? localCommunity;
  const list = useResidents({ ...query, communityId });
  const filter = (patch: ResidentQuery) => setQuery((x) => ({ ...x, ...patch, page: 1 }));
  const openResident = (id: string | null) => setParams((p) => {
    const next = new URLSearchParams(p);
    if (id) next.set('open', id);
    else next.delete('open');
    return next;
  });

  useEffect(() => setQuery((x) => ({ ...x, page: 1 })), [community?.id]);

  return (
    <>
      <PageHeader
        title={t('residents.title')}
        subtitle={t('residents.subtitle')}
        extra={
          <>
            {can('resident.manage') && <ImportButton kind="residents" communityId={communityId} />}
            <ExportButton kind="residents" communityId={communityId} />
            {can('resident.manage') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="resident-create">
                {t('residents.create')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            enterButton
            placeholder={t('residents.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => {
              filter({ q: v.trim() || undefined });
              setParams((p) => {
                const next = new URLSearchParams(p);
                if (v.trim()) next.set('q', v.trim());
                else next.delete('q');
                return next;
              }, { replace: true });
            }}
            style={{ width: 360 }}
            data-testid="resident-search"
          />
          {!community && <CommunitySelect value={localCommunity} onChange={(id) => (setLocalCommunity(id), setQuery((x) => ({ ...x, page: 1 })))} allowAll width={160} />}
          <Select allowClear placeholder={t('residents.relationFilter')} value={query.relation} onChange={(relation) => filter({ relation })} style={{ width: 130 }} options={RELATIONS.map((r) => ({ value: r, label: t(`residents.relations.${r}`) }))} />
          <Select allowClear placeholder={t('residents.careFilter')} value={query.careFlag} onChange={(careFlag) => filter({ careFlag })} style={{ width: 140 }} options={CARE_FLAGS.map((f) => ({ value: f, label: t(`residents.careFlags.${f}`) }))} data-testid="resident-care-filter" />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              setSearch('');
              setLocalCommunity(undefined);
              setQuery({ page: 1, pageSize: query.pageSize });
            }}
          >
            {t('common.reset')}
          </Button>
        </Flex>
        <Alert type="info" showIcon icon={<SafetyCertificateOutlined />} title={t('residents.maskedNote')} style={{ marginBottom: 16 }} banner />
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<Resident>
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          data-testid="residents-table"
          onRow={(r) => ({ onClick: () => openResident(r.id), style: { cursor: 'pointer' } })}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setQuery((x) => ({ ...x, page, pageSize })),
          }}
          columns={[
            { title: t('residents.name'), dataIndex: 'name', render: (v: string) => <Typography.Link strong data-testid="resident-name">{v}</Typography.Link> },
            { title: t('residents.phone'), dataIndex: 'phone', render: (v: string | null) => <span data-testid="resident-row-phone">{v ?? '—'}</span> },
            { title: t('residents.idNumber'), dataIndex: 'idNumber', render: (v: string | null) => v ?? '—' },
            {
              title: t('residents.rooms'),
              dataIndex: 'rooms',
              render: (rooms: Resident['rooms']) => {
                const current = rooms.filter((x) => x.current);
                if (!current.length) return <Typography.Text type="secondary">{t('residents.noRoom')}</Typography.Text>;
                return (
                  <Flex vertical gap={2}>
                    {current.slice(0, 3).map((x) => (
                      <Space key={x.linkId} size={6} wrap={false}>
                        <Link to={`/estate/rooms/${x.roomId}`} onClick={(e) => e.stopPropagation()} style={{ whiteSpace: 'nowrap' }}>
                          {community ? x.label : `${x.communityName} ${x.label}`}
                        </Link>
                        <RelationTag relation={x.relation} />
                      </Space>
                    ))}
                    {current.length > 3 && <Typography.Text type="secondary">{t('residents.moreRooms', { count: current.length - 3 })}</Typography.Text>}
                  </Flex>
                );
              },
            },
            { title: t('residents.plates'), dataIndex: 'plates', render: (p: string[]) => (p.length ? p.map((x) => <Tag key={x}>{x}</Tag>) : '—') },
            { title: t('residents.careFlagsLabel'), dataIndex: 'careFlags', render: (f: string[]) => (f.length ? <CareFlagTags flags={f} /> : '—') },
          ]}
        />
      </Card>
      <ResidentDrawer residentId={open} onClose={() => openResident(null)} />
      <ResidentFormModal open={creating} communityId={communityId} onClose={() => setCreating(false)} onCreated={(r) => openResident(r.id)} />
    </>
  );
}
