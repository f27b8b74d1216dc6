import { useState } from 'react';
import { App, Button, Empty, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../auth/api.ts';
import { useDeleteVehicle, type Vehicle } from '../api.ts';
import { VehicleFormModal } from './VehicleFormModal.tsx';

/** Vehicles of a set of people (a room's current household, or one resident), with add and remove. */
export function VehiclesTable({ vehicles, people, communityId, loading }: { vehicles: Vehicle[]; people: Array<{ id: string; name: string }>; communityId: string; loading?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const manage = can('resident.manage');
  const [adding, setAdding] = useState(false);
  const remove = useDeleteVehicle();

  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('vehicles.count', { count: vehicles.length })}</Typography.Text>
        {manage && people.length > 0 && (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="vehicle-create">
            {t('vehicles.create')}
          </Button>
        )}
      </Flex>
      <Table<Vehicle>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={vehicles}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="vehicles-table"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('vehicles.empty')} /> }}
        columns={[
          {
            title: t('vehicles.plate'),
            dataIndex: 'plate',
            render: (v: string, r) => (
              <span style={{ whiteSpace: 'nowrap' }}>
                <Typography.Text strong>{v}</Typography.Text>
                {r.energy === 'newEnergy' && (
                  <Tag color="green" style={{ marginLeft: 6 }}>
                    {t('vehicles.newEnergy')}
                  </Tag>
                )}
              </span>
            ),
          },
          { title: t('vehicles.owner'), dataIndex: 'residentName' },
          { title: t('vehicles.space'), dataIndex: 'parkingSpaceNumber', render: (v: string | null) => v ?? '—' },
          { title: t('vehicles.brand'), dataIndex: 'brand', render: (v: string | null) => v ?? '—' },
          { title: t('vehicles.color'), dataIndex: 'color', render: (v: string | null) => v ?? '—' },
          ...(manage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, v: Vehicle) => (
                    <Popconfirm
                      title={t('vehicles.deleteConfirm', { plate: v.plate })}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => remove.mutateAsync(v.id).then(() => void message.success(t('common.deleted')), (err: Error) => void message.error(err.message))}
                    >
                      <Button type="link" size="small" danger>
                        {t('common.delete')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <VehicleFormModal open={adding} people={people} communityId={communityId} onClose={() => setAdding(false)} />
    </>
  );
}
