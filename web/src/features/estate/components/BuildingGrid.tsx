import { Fragment, useMemo } from 'react';
import { Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BuildingGrid as Grid, GridRoom, RoomStatus } from '../api.ts';
import { STATUS_STYLE } from '../labels.ts';

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** "33F" above ground, "B1" below. */
export function floorLabel(floor: number): string {
  return floor > 0 ? `${floor}F` : `B${-floor}`;
}

/**
 * Where a room sits on its floor, so that 3301, 3201 … 101 line up in one column: the number without its floor
 * prefix ("3301" on floor 33 → "01", "S-105" on floor 1 → "S-05"). Numbers that do not follow the pattern keep
 * their own column.
 */
function positionKey(room: GridRoom): string {
  const digits = String(Math.abs(room.floor));
  const m = /^(\D*)(\d+)(.*)$/.exec(room.number);
  if (m && m[2].startsWith(digits) && m[2].length > digits.length) return `${m[1]}${m[2].slice(digits.length)}${m[3]}`;
  return room.number;
}

interface UnitColumns {
  unit: string | null;
  keys: string[];
  /** floor → position key → room */
  cells: Map<number, Map<string, GridRoom>>;
}

/** Groups the grid's rooms into unit column blocks with aligned positions. */
function layout(grid: Grid, unitFilter: string | null | undefined): UnitColumns[] {
  const order = new Map(grid.building.units.map((u) => [u.name, u.sortOrder]));
  const byUnit = new Map<string | null, GridRoom[]>();
  for (const f of grid.floors) {
    for (const r of f.rooms) {
      if (!byUnit.has(r.unitName)) byUnit.set(r.unitName, []);
      byUnit.get(r.unitName)!.push(r);
    }
  }
  // Units without rooms yet still get their column block (empty), so a new unit shows up.
  for (const u of grid.building.units) if (!byUnit.has(u.name)) byUnit.set(u.name, []);
  const units = [...byUnit.keys()]
    .filter((u) => unitFilter === undefined || u === unitFilter)
    .sort((a, b) => (a === null ? 1 : b === null ? -1 : (order.get(a) ?? 0) - (order.get(b) ?? 0) || collator.compare(a, b)));
  return units.map((unit) => {
    const rooms = byUnit.get(unit)!;
    const perFloor = new Map<number, GridRoom[]>();
    for (const r of rooms) {
      if (!perFloor.has(r.floor)) perFloor.set(r.floor, []);
      perFloor.get(r.floor)!.push(r);
    }
    const widest = Math.max(0, ...[...perFloor.values()].map((l) => l.length));
    let keyOf = positionKey;
    let keys = [...new Set(rooms.map(positionKey))].sort(collator.compare);
    // Irregular numbering would give every room its own column: fall back to the order on the floor.
    if (keys.length > Math.max(widest * 2, widest + 4)) {
      const index = new Map<string, string>();
      for (const list of perFloor.values()) list.forEach((r, i) => index.set(r.id, String(i).padStart(3, '0')));
      keyOf = (r) => index.get(r.id)!;
      keys = Array.from({ length: widest }, (_, i) => String(i).padStart(3, '0'));
    }
    const cells = new Map<number, Map<string, GridRoom>>();
    for (const r of rooms) {
      if (!cells.has(r.floor)) cells.set(r.floor, new Map());
      cells.get(r.floor)!.set(keyOf(r), r);
    }
    return { unit, keys, cells };
  });
}

/**
 * The floor-by-room grid of a building: floors top-down, one compact cell per room coloured by status, unit entrances
 * as column blocks. Wide buildings scroll sideways inside the card, never the page.
 */
export function BuildingGrid({
  grid,
  unitFilter,
  highlight,
  onOpen,
}: {
  grid: Grid;
  /** A unit's name to show only its columns (null: the rooms without a unit); undefined shows all. */
  unitFilter?: string | null;
  highlight?: RoomStatus | null;
  onOpen: (room: GridRoom) => void;
}) {
  const { t } = useTranslation();
  const blocks = useMemo(() => layout(grid, unitFilter), [grid, unitFilter]);
  const hasUnits = blocks.some((b) => b.unit !== null);
  const label = (r: GridRoom) => [grid.building.name, r.unitName, r.number].filter(Boolean).join('-');

  if (grid.total === 0 && grid.building.units.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('estate.gridEmpty')} />;
  }

  const columns = blocks.reduce((n, b) => n + b.keys.length, 0);
  return (
    <div className="anju-grid-wrap" data-testid="building-grid">
      <table className="anju-grid" aria-label={t('estate.gridTitle')}>
        <thead>
          {hasUnits && (
            <tr>
              <th className="anju-grid-floor" />
              {blocks.map((b, i) => (
                <th key={b.unit ?? '—'} colSpan={Math.max(1, b.keys.length)} className={i > 0 ? 'anju-grid-unit anju-grid-gap' : 'anju-grid-unit'}>
                  {b.unit ?? t('estate.noUnit')}
                </th>
              ))}
            </tr>
          )}
        </thead>
        <tbody>
          {grid.floors.map((f) => (
            <tr key={f.floor} data-floor={f.floor}>
              <th scope="row" className="anju-grid-floor">
                {floorLabel(f.floor)}
              </th>
              {columns === 0 && <td className="anju-grid-empty" />}
              {blocks.map((b, bi) => (
                <Fragment key={b.unit ?? '—'}>
                  {b.keys.length === 0 && <td className={bi > 0 ? 'anju-grid-gap' : undefined}><span className="anju-grid-none" /></td>}
                  {b.keys.map((k, ki) => {
                    const r = b.cells.get(f.floor)?.get(k);
                    const gap = bi > 0 && ki === 0 ? 'anju-grid-gap' : undefined;
                    if (!r) return <td key={k} className={gap}><span className="anju-grid-none" /></td>;
                    const s = STATUS_STYLE[r.status];
                    const dim = highlight && highlight !== r.status;
                    const name = `${label(r)} · ${t(`estate.statuses.${r.status}`)}`;
                    return (
                      <td key={k} className={gap}>
                        <button
                          type="button"
                          className="anju-grid-room"
                          style={{ background: s.bg, color: s.fg, borderColor: s.border, opacity: dim ? 0.22 : 1 }}
                          title={name}
                          aria-label={name}
                          data-testid="grid-room"
                          data-room={r.number}
                          data-status={r.status}
                          onClick={() => onOpen(r)}
                        >
                          {r.number}
                        </button>
                      </td>
                    );
                  })}
                </Fragment>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
