import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { Button, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { METER_KINDS } from '../../../../../../src/modules/billing/schema.ts';
import { QueryError } from '../../../../components/QueryError.tsx';
import { useAbilities } from '../../../auth/api.ts';
import { useBuildings } from '../../../estate/api.ts';
import { useMeters, type Meter, type MeterKind } from '../../api-setup.ts';
import { AddMeterModal, ReplaceMeterModal } from './MeterModals.tsx';
import { BuildingSelect } from './Pickers.tsx';
import { plainDecimal } from './periods.ts';

/** A meter's place: the room (linking to its page), or the building for a 公摊表. */
export function MeterTarget({ meter, buildingName }: { meter: Meter; buildingName?: string }) {
  const { t } = useTranslation();
  if (meter.roomId) return <Link to={`/estate/rooms/${meter.roomId}?tab=billing`}>{meter.roomLabel}</Link>;
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {buildingName ?? '…'} <Tag color="purple">{t('billingSetup.meters.buildingMeter')}</Tag>
    </span>
  );
}

/** 仪表: the community's water, electricity and gas meters; add one, replace one. */
export function MetersTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const manage = can('billing.manage');
  const [kind, setKind] = useState<MeterKind | undefined>();
  const [status, setStatus] = useState<'active' | 'replaced' | undefined>('active');
  const [buildingId, setBuildingId] = useState<string | undefined>();
  const [number, setNumber] = useState('');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [adding, setAdding] = useState(false);
  const [replacing, setReplacing] = useState<Meter | null>(null);
  const list = useMeters({ ...paging, communityId, kind, status, buildingId, q: number.trim() || undefined });
  const buildings = useBuildings(communityId);
  const buildingName = new Map((buildings.data?.items ?? []).map((b) => [b.id, b.name]));
  const reset = () => setPaging((p) => ({ ...p, page: 1 }));

  return (
    <>
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Flex gap={8} wrap>
          <BuildingSelect
            communityId={communityId}
            value={buildingId}
            onChange={(v) => {
              setBuildingId(v);
              reset();
            }}
          />
          <Select
            allowClear
            value={kind}
            onChange={(v: MeterKind | undefined) => {
              setKind(v);
              reset();
            }}
            placeholder={t('billingSetup.meters.allKinds')}
            options={METER_KINDS.map((k) => ({ value: k, label: t(`billingSetup.meterKinds.${k}`) }))}
            style={{ width: 120 }}
          />
          <Select
            allowClear
            value={status}
            onChange={(v: 'active' | 'replaced' | undefined) => {
              setStatus(v);
              reset();
            }}
            placeholder={t('billingSetup.bills.allStatuses')}
            options={[
              { value: 'active', label: t('billingSetup.meterStatuses.active') },
              { value: 'replaced', label: t('billingSetup.meterStatuses.replaced') },
            ]}
            style={{ width: 120 }}
          />
          <Input.Search
            allowClear
            placeholder={t('billingSetup.meters.searchNumber')}
            onSearch={(v) => {
              setNumber(v);
              reset();
            }}
            style={{ width: 200 }}
          />
        </Flex>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="meter-new">
            {t('billingSetup.meters.add')}
          </Button>
        )}
      </Flex>
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table<Meter>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('billingSetup.meters.empty') }}
        data-testid="meters-table"
        onRow={(r) => ({ 'data-testid': 'meter-row', 'data-number': r.number }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('billingSetup.meters.number'), dataIndex: 'number', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          { title: t('billingSetup.meters.kind'), dataIndex: 'kind', render: (k: MeterKind) => t(`billingSetup.meterKinds.${k}`) },
          { title: t('billingSetup.bindings.target'), key: 'target', render: (_: unknown, r: Meter) => <MeterTarget meter={r} buildingName={buildingName.get(r.buildingId)} /> },
          { title: t('billingSetup.meters.multiplier'), dataIndex: 'multiplier', align: 'right' as const, render: plainDecimal },
          { title: t('billingSetup.meters.initialReading'), dataIndex: 'initialReading', align: 'right' as const, render: plainDecimal },
          {
            title: t('billingSetup.meters.lastReading'),
            key: 'last',
            render: (_: unknown, r: Meter) =>
              r.lastReading ? (
                <span style={{ whiteSpace: 'nowrap' }}>
                  {plainDecimal(r.lastReading.reading)} <Typography.Text type="secondary">({r.lastReading.periodKey})</Typography.Text>
                </span>
              ) : (
                <Typography.Text type="secondary">{t('billingSetup.meters.noReading')}</Typography.Text>
              ),
          },
          {
            title: t('common.status'),
            key: 'status',
            render: (_: unknown, r: Meter) =>
              r.status === 'active' ? (
                <Flex gap={4}>
                  <Tag color="success">{t('billingSetup.meterStatuses.active')}</Tag>
                  {r.replacesMeterId && <Tag>{t('billingSetup.meters.afterReplacement')}</Tag>}
                </Flex>
              ) : (
                <Flex vertical>
                  <Tag style={{ width: 'fit-content' }}>{t('billingSetup.meterStatuses.replaced')}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                    {t('billingSetup.meters.replacedInfo', { date: r.replacedAt, reading: plainDecimal(r.finalReading) })}
                  </Typography.Text>
                </Flex>
              ),
          },
          { title: t('billingSetup.meters.installedAt'), dataIndex: 'installedAt', render: (v: string | null) => v ?? '—' },
          ...(manage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  fixed: 'right' as const,
                  render: (_: unknown, r: Meter) =>
                    r.status === 'active' ? (
                      <Button type="link" size="small" onClick={() => setReplacing(r)} data-testid="meter-replace">
                        {t('billingSetup.meters.replace')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <AddMeterModal open={adding} communityId={communityId} onClose={() => setAdding(false)} />
      <ReplaceMeterModal meter={replacing} onClose={() => setReplacing(null)} />
    </>
  );
}
