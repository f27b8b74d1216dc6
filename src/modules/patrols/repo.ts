import type { Actor, Db } from '../../core/context.ts';
import { canSeeCommunity, companyOf } from '../../core/context.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import type { Checkpoint, ChecklistItem } from './schema.ts';

/** Queries the patrol services share; every one is scoped to the caller's company (and communities). */

/** A community of the caller's company the caller may see: 404 when read about, 400 naming the field in a body. */
export async function loadCommunity(db: Db, actor: Actor, communityId: string, missing: 'notFound' | 'field' = 'notFound') {
  const row = await db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('id', '=', communityId).where('company_id', '=', companyOf(actor)).executeTakeFirst();
  if (!row || !canSeeCommunity(actor, communityId)) throw missing === 'field' ? new ValidationError('communityId', 'validation.unknownIds') : new NotFoundError('community');
  return row;
}
export type CommunityRow = Awaited<ReturnType<typeof loadCommunity>>;

/** A row of `table` by id in the caller's company and communities, or a 404. */
export async function loadScoped<T extends 'patrol_checkpoints' | 'patrol_routes' | 'patrol_plans' | 'patrol_tasks'>(db: Db, actor: Actor, table: T, id: string, entity: string) {
  const row = await db
    .selectFrom(table as 'patrol_checkpoints')
    .select(['id', 'community_id'])
    .where('id', '=', id)
    .where('company_id', '=', companyOf(actor))
    .executeTakeFirst();
  if (!row || !canSeeCommunity(actor, row.community_id)) throw new NotFoundError(entity);
  return row;
}

export async function checklistsOf(db: Db, checkpointIds: readonly string[]): Promise<Map<string, ChecklistItem[]>> {
  const out = new Map<string, ChecklistItem[]>();
  if (!checkpointIds.length) return out;
  const rows = await db.selectFrom('patrol_checklist_items').selectAll().where('checkpoint_id', 'in', [...checkpointIds]).orderBy('checkpoint_id').orderBy('position').execute();
  for (const r of rows) {
    const list = out.get(r.checkpoint_id) ?? [];
    list.push({ id: r.id, label: r.label, answerKind: r.answer_kind, normalYes: r.normal_yes, minValue: r.min_value, maxValue: r.max_value, unit: r.unit, required: r.required });
    out.set(r.checkpoint_id, list);
  }
  return out;
}

/** Checkpoints with their checklists, in label-number order. */
export async function selectCheckpoints(db: Db, companyId: string, filter: { ids?: readonly string[]; communityId?: string; kind?: string; active?: boolean }): Promise<Checkpoint[]> {
  if (filter.ids && !filter.ids.length) return [];
  const rows = await db
    .selectFrom('patrol_checkpoints as c')
    .innerJoin('communities as m', 'm.id', 'c.community_id')
    .leftJoin('buildings as b', 'b.id', 'c.building_id')
    .select(['c.id', 'c.community_id', 'm.name as community_name', 'c.no', 'c.name', 'c.location', 'c.building_id', 'b.name as building_name', 'c.kind', 'c.active'])
    .where('c.company_id', '=', companyId)
    .$if(Boolean(filter.ids), (q) => q.where('c.id', 'in', [...filter.ids!]))
    .$if(Boolean(filter.communityId), (q) => q.where('c.community_id', '=', filter.communityId!))
    .$if(Boolean(filter.kind), (q) => q.where('c.kind', '=', filter.kind as 'patrol'))
    .$if(filter.active !== undefined, (q) => q.where('c.active', '=', filter.active!))
    .orderBy('c.community_id')
    .orderBy('c.no')
    .execute();
  const lists = await checklistsOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    communityId: r.community_id,
    communityName: r.community_name,
    no: r.no,
    name: r.name,
    location: r.location,
    buildingId: r.building_id,
    buildingName: r.building_name,
    kind: r.kind,
    active: r.active,
    checklist: lists.get(r.id) ?? [],
  }));
}
