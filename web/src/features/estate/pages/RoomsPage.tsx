import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Card, Flex, Input, Select, Table, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ROOM_KINDS, ROOM_STATUSES } from '../../../../../src/modules/estate/schema.ts';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAbilities } from '../../auth/api.ts';
import { formatArea } from '../../communities/labels.ts';
import { ExportButton, ImportButton } from '../../imports/components/ExcelButtons.tsx';
import { useBuildings, useRooms, type Room, type RoomQuery } from '../api.ts';
import { floorLabel } from '../components/BuildingGrid.tsx';
import { RoomStatusTag } from '../components/RoomStatusTag.tsx';

/** 房屋列表: every room of the caller's communities (or the header's one), filtered, with Excel import and export. */
export default function RoomsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const can = useAbilities();
  const { community } = useCurrentCommunity();
  const [query, setQuery] = useState<RoomQuery>({ page: 1, pageSize: 20 });
  const [search, setSearch] = useState('');
  const q = { ...query, communityId: community?.id };
  const list = useRooms(q);
  const buildings = useBuildings(community?.id);
  const filter = (patch: RoomQuery) => setQuery((x) => ({ ...x, ...patch, page: 1 }));
  // Another community in the header: its buildings differ, so the building filter goes.
  useEffect(() => setQuery((x) => ({ ...x, buildingId: undefined, page: 1 })), [community?.id]);

  return (
    <>
      <PageHeader
        title={t('rooms.title')}
        subtitle={t('rooms.subtitle')}
        extra={
          <>
            {can('estate.manage') && <ImportButton kind="rooms" communityId={community?.id} />}
            <ExportButton kind="rooms" communityId={community?.id} />
          </>
        }
      />
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('rooms.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => filter({ q: v.trim() || undefined })}
            style={{ width: 200 }}
            data-testid="rooms-search"
          />
          {community && (
            <Select
              allowClear
              placeholder={t('estate.building')}
              value={query.buildingId}
              onChange={(buildingId) => filter({ buildingId })}
              style={{ width: 150 }}
              options={(buildings.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))}
            />
          )}
          <Select
            allowClear
            placeholder={t('estate.status')}
            value={query.status}
            onChange={(status) => filter({ status })}
            style={{ width: 130 }}
            options={ROOM_STATUSES.map((s) => ({ value: s, label: t(`estate.statuses.${s}`) }))}
          />
          <Select allowClear placeholder={t('estate.roomKind')} value={query.kind} onChange={(kind) => filter({ kind })} style={{ width: 130 }} options={ROOM_KINDS.map((k) => ({ value: k, label: t(`estate.roomKinds.${k}`) }))} />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              setSearch('');
              setQuery({ page: 1, pageSize: query.pageSize });
            }}
          >
            {t('common.reset')}
          </Button>
        </Flex>
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<Room>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          data-testid="rooms-table"
          onRow={(r) => ({ onClick: () => navigate(`/estate/rooms/${r.id}`), style: { cursor: 'pointer' } })}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setQuery((x) => ({ ...x, page, pageSize })),
          }}
          columns={[
            { title: t('rooms.room'), dataIndex: 'label', render: (v: string) => <Typography.Link strong>{v}</Typography.Link> },
            ...(community ? [] : [{ title: t('room.community'), dataIndex: 'communityName' }]),
            { title: t('estate.floor'), dataIndex: 'floor', align: 'right' as const, render: floorLabel },
            { title: t('estate.roomKind'), dataIndex: 'kind', render: (k: Room['kind']) => t(`estate.roomKinds.${k}`) },
            { title: t('estate.builtArea'), dataIndex: 'builtArea', align: 'right' as const, render: (v: string) => `${formatArea(v)} ㎡` },
            { title: t('estate.innerArea'), dataIndex: 'innerArea', align: 'right' as const, render: (v: string | null) => (v ? `${formatArea(v)} ㎡` : '—') },
            { title: t('estate.status'), dataIndex: 'status', render: (s: Room['status']) => <RoomStatusTag status={s} /> },
          ]}
        />
      </Card>
    </>
  );
}
