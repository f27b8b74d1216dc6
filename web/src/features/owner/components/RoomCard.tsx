import { Link } from 'react-router-dom';
import { Flex, Tag, Typography } from 'antd';
import { CarOutlined, TeamOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { zhCN } from '../../../i18n/zh-CN.ts';
import type { OwnerHome } from '../api.ts';

type Room = OwnerHome['rooms'][number];
type Relation = keyof typeof zhCN.mobile.relations;
type RoomStatus = keyof typeof zhCN.mobile.roomStatuses;

const isRelation = (r: string): r is Relation => Object.hasOwn(zhCN.mobile.relations, r);
const isRoomStatus = (s: string): s is RoomStatus => Object.hasOwn(zhCN.mobile.roomStatuses, s);

/** One of my homes: where it is, what I am to it, who lives there and their cars. */
export function RoomCard({ room }: { room: Room }) {
  const { t } = useTranslation();
  const relation = (r: string) => (isRelation(r) ? t(`mobile.relations.${r}`) : r);
  return (
    <div className="m-list-item" data-testid="room">
      <Flex justify="space-between" align="flex-start" gap={8}>
        <div style={{ minWidth: 0 }}>
          <Typography.Text strong style={{ fontSize: 16 }} data-testid="room-label">
            {room.community} · {room.label}
          </Typography.Text>
          <div style={{ color: '#888', fontSize: 13, marginTop: 2 }}>
            {t('mobile.builtArea', { area: room.builtArea })}
            {isRoomStatus(room.status) && ` · ${t(`mobile.roomStatuses.${room.status}`)}`}
          </div>
        </div>
        <Tag color={room.relation === 'owner' ? 'blue' : 'default'} style={{ marginInlineEnd: 0 }}>
          {relation(room.relation)}
        </Tag>
      </Flex>
      {room.household.length > 0 && (
        <Flex gap={6} wrap align="center" style={{ marginTop: 10 }}>
          <TeamOutlined style={{ color: '#888' }} />
          {[...room.household].sort((a, b) => Number(b.isMe) - Number(a.isMe)).map((m, i) => (
            <Tag key={i} color={m.isMe ? 'processing' : undefined} style={{ marginInlineEnd: 0 }}>
              {m.name}
              {m.isMe ? `（${t('mobile.me')}）` : ''} · {relation(m.relation)}
            </Tag>
          ))}
        </Flex>
      )}
      {room.vehicles.length > 0 && (
        <Flex gap={6} wrap align="center" style={{ marginTop: 8 }}>
          <CarOutlined style={{ color: '#888' }} />
          {room.vehicles.map((v) => (
            <Tag key={v.plate} style={{ marginInlineEnd: 0 }}>
              {v.plate}
            </Tag>
          ))}
        </Flex>
      )}
      {room.relation === 'owner' && (
        <Link to={`/household/new?room=${room.id}`} className="m-room-action" data-testid="m-add-member">
          <UserAddOutlined /> {t('mobile.addMember')}
        </Link>
      )}
    </div>
  );
}
