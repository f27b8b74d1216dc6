import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { Button, Flex, Switch, Table, Tag, Typography } from 'antd';
import { ApartmentOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../../components/QueryError.tsx';
import { useAbilities } from '../../../auth/api.ts';
import { useBindings, type Binding } from '../../api-setup.ts';
import { BindOneModal, BulkBindModal, EditBindingModal } from './BindingModals.tsx';
import { ItemLabel, ItemSelect, RoomSelect } from './Pickers.tsx';

/** 计费绑定: which room or parking space pays which item from when to when; bulk binding and 结束计费 on move-out. */
export function BindingsTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const manage = can('billing.manage');
  const today = dayjs().format('YYYY-MM-DD');
  const [itemId, setItemId] = useState<string | undefined>();
  const [roomId, setRoomId] = useState<string | undefined>();
  const [currentOnly, setCurrentOnly] = useState(true);
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [bulk, setBulk] = useState(false);
  const [one, setOne] = useState(false);
  const [editing, setEditing] = useState<Binding | null>(null);
  const list = useBindings({ ...paging, communityId, itemId, roomId, activeOn: currentOnly ? today : undefined });
  const reset = () => setPaging((p) => ({ ...p, page: 1 }));

  return (
    <>
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Flex gap={8} wrap align="center">
          <ItemSelect
            communityId={communityId}
            value={itemId}
            onChange={(v) => {
              setItemId(v);
              reset();
            }}
            testId="bindings-item"
          />
          <RoomSelect
            communityId={communityId}
            value={roomId}
            width={200}
            placeholder={t('billingSetup.pickers.anyRoom')}
            onChange={(v) => {
              setRoomId(v);
              reset();
            }}
          />
          <Flex gap={6} align="center">
            <Switch
              size="small"
              checked={currentOnly}
              onChange={(v) => {
                setCurrentOnly(v);
                reset();
              }}
            />
            <Typography.Text type="secondary">{t('billingSetup.bindings.currentOnly')}</Typography.Text>
          </Flex>
        </Flex>
        {manage && (
          <Flex gap={8}>
            <Button icon={<PlusOutlined />} onClick={() => setOne(true)} data-testid="bind-one">
              {t('billingSetup.bindings.bindOne')}
            </Button>
            <Button type="primary" icon={<ApartmentOutlined />} onClick={() => setBulk(true)} data-testid="bind-bulk">
              {t('billingSetup.bindings.bulk')}
            </Button>
          </Flex>
        )}
      </Flex>
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table<Binding>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('billingSetup.bindings.empty') }}
        data-testid="bindings-table"
        onRow={() => ({ 'data-testid': 'binding-row' }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          {
            title: t('billingSetup.bindings.item'),
            key: 'item',
            render: (_: unknown, r: Binding) => (
              <ItemLabel name={r.itemName} kind={r.itemKind} />
            ),
          },
          {
            title: t('billingSetup.bindings.target'),
            key: 'target',
            render: (_: unknown, r: Binding) =>
              r.roomId ? (
                <Link to={`/estate/rooms/${r.roomId}?tab=billing`}>{r.roomLabel}</Link>
              ) : (
                <span>
                  {t('billingSetup.bindings.space')} {r.parkingSpaceNumber}
                </span>
              ),
          },
          { title: t('billingSetup.bindings.startDate'), dataIndex: 'startDate' },
          {
            title: t('billingSetup.bindings.endDate'),
            dataIndex: 'endDate',
            render: (v: string | null) =>
              v ? (
                <Flex gap={6} align="center">
                  {v}
                  {v < today && <Tag>{t('billingSetup.bindings.ended')}</Tag>}
                </Flex>
              ) : (
                <Typography.Text type="secondary">{t('billingSetup.bindings.openEnded')}</Typography.Text>
              ),
          },
          { title: t('billingSetup.bindings.ownPrice'), dataIndex: 'unitPrice', render: (v: string | null) => v ?? '—' },
          { title: t('billingSetup.bindings.note'), dataIndex: 'note', render: (v: string | null) => <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 200 }}>{v ?? '—'}</Typography.Text> },
          ...(manage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  fixed: 'right' as const,
                  render: (_: unknown, r: Binding) => (
                    <Button type="link" size="small" onClick={() => setEditing(r)} data-testid="binding-edit">
                      {r.endDate ? t('billingSetup.bindings.changeEnd') : t('billingSetup.bindings.end')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <BulkBindModal open={bulk} communityId={communityId} onClose={() => setBulk(false)} />
      <BindOneModal open={one} communityId={communityId} onClose={() => setOne(false)} />
      <EditBindingModal binding={editing} onClose={() => setEditing(null)} />
    </>
  );
}
