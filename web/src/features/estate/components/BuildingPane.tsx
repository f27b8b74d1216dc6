import { useMemo, useState } from 'react';
import { App, Button, Card, Flex, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAbilities } from '../../auth/api.ts';
import { useBuildingGrid, type Building, type RoomStatus } from '../api.ts';
import { BuildingGrid } from './BuildingGrid.tsx';
import { StatusLegend } from './RoomStatusTag.tsx';
import { RoomFormModal } from './RoomFormModal.tsx';
import { UnitFormModal } from './UnitFormModal.tsx';

/** A building: its facts, the status legend with counts, and the floor-by-room grid. */
export function BuildingPane({
  building,
  unit,
  onClearUnit,
  onOpenRoom,
}: {
  building: Building;
  unit: Building['units'][number] | null;
  onClearUnit: () => void;
  onOpenRoom: (roomId: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const manage = can('estate.manage');
  const grid = useBuildingGrid(building.id);
  const [highlight, setHighlight] = useState<RoomStatus | null>(null);
  const [roomFor, setRoomFor] = useState<Building | null>(null);
  const [unitFor, setUnitFor] = useState<Building | null>(null);

  // The legend counts what the grid shows: the whole building, or the chosen unit.
  const { counts, total } = useMemo(() => {
    const g = grid.data;
    if (!g) return { counts: {}, total: 0 };
    if (!unit) return { counts: g.counts, total: g.total };
    const c: Record<string, number> = {};
    let n = 0;
    for (const f of g.floors) {
      for (const r of f.rooms) {
        if (r.unitName !== unit.name) continue;
        c[r.status] = (c[r.status] ?? 0) + 1;
        n += 1;
      }
    }
    return { counts: c, total: n };
  }, [grid.data, unit]);

  const facts = [
    t(`estate.buildingKinds.${building.kind}`),
    t('estate.floorsFact', { above: building.floorsAbove }),
    building.floorsBelow > 0 && t('estate.floorsBelowFact', { below: building.floorsBelow }),
    building.lifts > 0 && t('estate.liftsFact', { count: building.lifts }),
    building.units.length > 0 && t('estate.unitsFact', { count: building.units.length }),
  ].filter(Boolean);

  return (
    <Card
      data-testid="building-pane"
      title={
        <Space size={8} wrap>
          <span data-testid="building-title">{building.name}</span>
          {unit && (
            <Tag closable onClose={onClearUnit} color="blue" style={{ marginInlineEnd: 0 }}>
              {t('estate.onlyUnit', { unit: unit.name })}
            </Tag>
          )}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
            {facts.join(' · ')}
          </Typography.Text>
        </Space>
      }
      extra={
        manage && (
          <Space>
            <Button size="small" onClick={() => setUnitFor(building)} data-testid="unit-create">
              {t('estate.addUnit')}
            </Button>
            <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setRoomFor(building)} data-testid="room-create">
              {t('estate.createRoom')}
            </Button>
          </Space>
        )
      }
    >
      {grid.error && <QueryError error={grid.error} onRetry={() => void grid.refetch()} />}
      {grid.data && grid.data.building.id === building.id ? (
        <Flex vertical gap={12}>
          <StatusLegend counts={counts} total={total} highlight={highlight} onHighlight={setHighlight} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('estate.gridHint')}
          </Typography.Text>
          <BuildingGrid grid={grid.data} unitFilter={unit ? unit.name : undefined} highlight={highlight} onOpen={(r) => onOpenRoom(r.id)} />
        </Flex>
      ) : (
        !grid.error && <Card loading variant="borderless" />
      )}
      <RoomFormModal building={roomFor} unitId={unit?.id} onClose={() => setRoomFor(null)} onCreated={(r) => void message.success(t('estate.roomCreated', { label: r.label }))} />
      <UnitFormModal building={unitFor} onClose={() => setUnitFor(null)} />
    </Card>
  );
}
