import { useState } from 'react';
import { Button, Card, Flex, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAbilities } from '../../auth/api.ts';
import { useCommunities } from '../../communities/api.ts';
import { CommunityDetails } from '../../communities/components/CommunityDetails.tsx';
import { CommunityFormModal } from '../../communities/components/CommunityFormModal.tsx';
import type { Building } from '../api.ts';
import { BuildingFormModal } from './BuildingFormModal.tsx';

/** A community in the estate tree: its details, and its buildings to open. */
export function CommunityPane({ communityId, buildings, onOpenBuilding }: { communityId: string; buildings: Building[] | undefined; onOpenBuilding: (b: Building) => void }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const communities = useCommunities({ pageSize: 200 });
  const community = communities.data?.items.find((c) => c.id === communityId);
  const [editing, setEditing] = useState(false);
  const [creating, setCreating] = useState(false);
  const rooms = (buildings ?? []).reduce((n, b) => n + b.roomCount, 0);

  return (
    <Flex vertical gap={16}>
      <Card
        title={<span data-testid="community-title">{community?.name ?? ''}</span>}
        loading={communities.isPending}
        extra={
          can('community.manage') &&
          community && (
            <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="community-edit">
              {t('communities.editDetails')}
            </Button>
          )
        }
      >
        {communities.error && <QueryError error={communities.error} onRetry={() => void communities.refetch()} />}
        {community && <CommunityDetails community={community} />}
      </Card>
      <Card
        title={
          <Space>
            {t('estate.buildings')}
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
              {t('estate.buildingsSummary', { buildings: buildings?.length ?? 0, rooms })}
            </Typography.Text>
          </Space>
        }
        extra={
          can('estate.manage') && (
            <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="building-create">
              {t('estate.createBuilding')}
            </Button>
          )
        }
      >
        <Table<Building>
          rowKey="id"
          size="small"
          loading={!buildings}
          dataSource={buildings}
          pagination={false}
          data-testid="buildings-table"
          locale={{ emptyText: t('estate.noBuildings') }}
          onRow={(b) => ({ onClick: () => onOpenBuilding(b), style: { cursor: 'pointer' } })}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('estate.buildingName'), dataIndex: 'name', render: (v: string) => <Typography.Link>{v}</Typography.Link> },
            { title: t('estate.buildingKind'), dataIndex: 'kind', render: (k: Building['kind']) => <Tag>{t(`estate.buildingKinds.${k}`)}</Tag> },
            { title: t('estate.floorsAbove'), dataIndex: 'floorsAbove', align: 'right' },
            { title: t('estate.floorsBelow'), dataIndex: 'floorsBelow', align: 'right' },
            { title: t('estate.lifts'), dataIndex: 'lifts', align: 'right' },
            { title: t('estate.units'), dataIndex: 'units', render: (us: Building['units']) => (us.length ? us.map((u) => u.name).join('、') : '—') },
            { title: t('estate.roomCount'), dataIndex: 'roomCount', align: 'right' },
          ]}
        />
      </Card>
      <CommunityFormModal open={editing} community={community} onClose={() => setEditing(false)} />
      <BuildingFormModal open={creating} communityId={communityId} onClose={() => setCreating(false)} onCreated={onOpenBuilding} />
    </Flex>
  );
}
