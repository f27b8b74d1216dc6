import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Db } from '../../core/context.ts';
import { PARKING_AREA_LABELS, PARKING_KIND_LABELS, PARKING_MODE_LABELS, labelOf } from './columns.ts';
import { type Counts, type ParkingItem, type StoredSpace, spaceChanged } from './plan.ts';
import type { CellValue } from './xlsx.ts';

/** Parking spaces: natural key community + number (numbers upper-cased, as the estate API stores them). */

export async function loadSpaces(db: Db, communityId: string): Promise<Map<string, StoredSpace>> {
  const rows = await db.selectFrom('parking_spaces').select(['number', 'area', 'kind', 'mode']).where('community_id', '=', communityId).execute();
  return new Map(rows.map((r) => [r.number, { area: r.area, kind: r.kind, mode: r.mode }]));
}

export async function applyParkingBatch(trx: Transaction<DB>, companyId: string, communityId: string, items: ParkingItem[]): Promise<Counts> {
  const counts: Counts = { create: 0, update: 0, unchanged: 0, error: 0 };
  const stored = await trx
    .selectFrom('parking_spaces')
    .select(['id', 'number', 'area', 'kind', 'mode'])
    .where('community_id', '=', communityId)
    .where('number', 'in', items.map((i) => i.number))
    .forUpdate()
    .execute();
  const byNumber = new Map(stored.map((s) => [s.number, s]));
  const inserts: ParkingItem[] = [];
  const updates: Array<{ id: string; area: string; kind: string; mode: string }> = [];
  for (const item of items) {
    const s = byNumber.get(item.number);
    if (!s) inserts.push(item);
    else if (!spaceChanged(item, s)) counts.unchanged += 1;
    else updates.push({ id: s.id, area: item.area, kind: item.kind ?? s.kind, mode: item.mode ?? s.mode });
  }
  if (inserts.length) {
    const created = await trx
      .insertInto('parking_spaces')
      .values(inserts.map((i) => ({ company_id: companyId, community_id: communityId, area: i.area, number: i.number, kind: i.kind ?? 'standard', mode: i.mode ?? 'shared' })))
      .onConflict((oc) => oc.columns(['community_id', 'number']).doNothing())
      .returning('id')
      .execute();
    counts.create += created.length;
    counts.unchanged += inserts.length - created.length;
  }
  if (updates.length) {
    const values = sql.join(updates.map((u) => sql`(${u.id}::uuid, ${u.area}, ${u.kind}, ${u.mode})`));
    await sql`
      UPDATE parking_spaces p SET area = v.area, kind = v.kind, mode = v.mode, updated_at = now()
        FROM (VALUES ${values}) AS v(id, area, kind, mode)
       WHERE p.id = v.id AND p.company_id = ${companyId}`.execute(trx);
    counts.update += updates.length;
  }
  return counts;
}

export async function exportParking(db: Db, communityId: string, communityCode: string): Promise<CellValue[][]> {
  const rows = await db.selectFrom('parking_spaces').select(['area', 'number', 'kind', 'mode']).where('community_id', '=', communityId).orderBy('area', 'desc').orderBy(sql`length(number)`).orderBy('number').execute();
  return rows.map((r) => [communityCode, labelOf(PARKING_AREA_LABELS, r.area), r.number, labelOf(PARKING_KIND_LABELS, r.kind), labelOf(PARKING_MODE_LABELS, r.mode)]);
}
