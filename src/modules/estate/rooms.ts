import type { Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB, RoomKind, RoomStatus } from '../../db/schema.ts';
import { type RequestContext, type Db, canSeeCommunity, companyOf, requirePermission, communityScope } from '../../core/context.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { loadBuilding, selectRooms, toRoom } from './repo.ts';
import { canChangeStatus, checkArea, normalizeRoomNumber } from './rules.ts';
import { assertUnitOfBuilding } from './buildings.ts';
import type { CreateRoomInput, Room } from './schema.ts';
import { contains } from '../../core/validation.ts';

const AREA_MESSAGES = { notPositive: 'validation.areaNotPositive', decimals: 'validation.areaDecimals', absurd: 'validation.areaAbsurd', format: 'validation.areaFormat' } as const;

/** Area checks shared by the API and the Excel import: returns exact decimal strings or throws naming the field. */
export function validateAreas(kind: RoomKind, builtArea: string | number, innerArea: string | number | null | undefined): { built: string; inner: string | null } {
  const built = checkArea(builtArea, kind);
  if (!built.ok) throw new ValidationError('builtArea', AREA_MESSAGES[built.reason], { value: String(builtArea) });
  let inner: string | null = null;
  if (innerArea !== null && innerArea !== undefined && innerArea !== '') {
    const c = checkArea(innerArea, kind);
    if (!c.ok) throw new ValidationError('innerArea', AREA_MESSAGES[c.reason], { value: String(innerArea) });
    if (Number(c.value) > Number(built.value)) throw new ValidationError('innerArea', 'validation.innerArea');
    inner = c.value;
  }
  return { built: built.value, inner };
}

export function validateRoomNumber(number: string, field = 'number'): string {
  const n = normalizeRoomNumber(number);
  if (!n) throw new ValidationError(field, 'validation.roomNumber');
  return n;
}

export function validateFloor(floor: number, building: { floors_above: number; floors_below: number }) {
  if (floor > building.floors_above || floor < -building.floors_below || floor === 0) throw new ValidationError('floor', 'validation.floorRange', { floor });
}

async function loadRoom(db: Db, ctx: RequestContext, id: string) {
  const row = await selectRooms(db, companyOf(ctx.actor)).where('r.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('room');
  return row;
}

async function assertNumberFree(db: Db, buildingId: string, unitId: string | null, number: string, exceptId?: string) {
  let q = db.selectFrom('rooms').select('id').where('building_id', '=', buildingId).where('number', '=', number);
  q = unitId ? q.where('unit_id', '=', unitId) : q.where('unit_id', 'is', null);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw new ConflictError('conflict.roomNumber', { number }, { field: 'number' });
}

export async function listRooms(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  q: PageQuery & { communityId?: string; buildingId?: string; unitId?: string; status?: RoomStatus; kind?: RoomKind; q?: string },
): Promise<Page<Room>> {
  requirePermission(ctx.actor, 'estate.read');
  const scope = communityScope(ctx.actor);
  const base = selectRooms(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('r.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('r.community_id', '=', q.communityId!))
    .$if(Boolean(q.buildingId), (qb) => qb.where('r.building_id', '=', q.buildingId!))
    .$if(Boolean(q.unitId), (qb) => qb.where('r.unit_id', '=', q.unitId!))
    .$if(Boolean(q.status), (qb) => qb.where('r.status', '=', q.status!))
    .$if(Boolean(q.kind), (qb) => qb.where('r.kind', '=', q.kind!))
    .$if(Boolean(q.q), (qb) => qb.where('r.number', 'like', contains(q.q!.toUpperCase())));
  const [rows, count] = await Promise.all([
    base.orderBy('c.code').orderBy('b.sort_order').orderBy('b.name').orderBy('u.sort_order').orderBy('r.floor', 'desc').orderBy('r.number').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toRoom), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function getRoom(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string) {
  requirePermission(ctx.actor, 'estate.read');
  const row = await loadRoom(deps.db, ctx, id);
  const history = await deps.db
    .selectFrom('room_status_history as h')
    .leftJoin('users as u', 'u.id', 'h.changed_by')
    .select(['h.id', 'h.from_status', 'h.to_status', 'h.reason', 'h.at', 'u.display_name'])
    .where('h.room_id', '=', id)
    .orderBy('h.id', 'desc')
    .limit(100)
    .execute();
  return {
    ...toRoom(row),
    history: history.map((h) => ({ id: h.id, fromStatus: h.from_status, toStatus: h.to_status, reason: h.reason, changedBy: h.display_name, at: h.at.toISOString() })),
  };
}

/** Inserts one room inside the caller's transaction (shared with the Excel import). Returns its id. */
export async function insertRoom(
  trx: Transaction<DB>,
  ctx: RequestContext,
  building: { id: string; community_id: string; floors_above: number; floors_below: number },
  input: { unitId: string | null; floor: number; number: string; built: string; inner: string | null; kind: RoomKind; status: RoomStatus },
): Promise<string> {
  const companyId = companyOf(ctx.actor);
  const room = await trx
    .insertInto('rooms')
    .values({ company_id: companyId, community_id: building.community_id, building_id: building.id, unit_id: input.unitId, floor: input.floor, number: input.number, built_area: input.built, inner_area: input.inner, kind: input.kind, status: input.status })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('room_status_history').values({ company_id: companyId, room_id: room.id, from_status: null, to_status: input.status, reason: null, changed_by: ctx.actor.userId }).execute();
  return room.id;
}

export async function createRoom(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateRoomInput): Promise<Room> {
  requirePermission(ctx.actor, 'estate.manage');
  const companyId = companyOf(ctx.actor);
  const number = validateRoomNumber(input.number);
  const areas = validateAreas(input.kind, input.builtArea, input.innerArea);
  const id = await deps.db.transaction().execute(async (trx) => {
    const building = await loadBuilding(trx, ctx.actor, companyId, input.buildingId, 'buildingId');
    await assertUnitOfBuilding(trx, building.id, input.unitId);
    validateFloor(input.floor, building);
    await assertNumberFree(trx, building.id, input.unitId ?? null, number);
    const roomId = await insertRoom(trx, ctx, building, { unitId: input.unitId ?? null, floor: input.floor, number, built: areas.built, inner: areas.inner, kind: input.kind, status: input.status });
    await writeAudit(trx, ctx, { action: 'room.create', entityType: 'room', entityId: roomId, after: { ...input, number, builtArea: areas.built, innerArea: areas.inner } });
    return roomId;
  });
  return toRoom(await loadRoom(deps.db, ctx, id));
}

export async function updateRoom(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  id: string,
  input: { unitId?: string | null; floor?: number; number?: string; builtArea?: string | number; innerArea?: string | number | null; kind?: RoomKind },
): Promise<Room> {
  requirePermission(ctx.actor, 'estate.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const before = await loadRoom(trx, ctx, id);
    const building = await loadBuilding(trx, ctx.actor, companyId, before.building_id);
    const kind = input.kind ?? before.kind;
    const areas = validateAreas(kind, input.builtArea ?? before.built_area, input.innerArea === undefined ? before.inner_area : input.innerArea);
    const unitId = input.unitId === undefined ? before.unit_id : input.unitId;
    await assertUnitOfBuilding(trx, building.id, unitId);
    const floor = input.floor ?? before.floor;
    validateFloor(floor, building);
    const number = input.number !== undefined ? validateRoomNumber(input.number) : before.number;
    await assertNumberFree(trx, building.id, unitId, number, id);
    await trx
      .updateTable('rooms')
      .set({ unit_id: unitId, floor, number, built_area: areas.built, inner_area: areas.inner, kind, updated_at: new Date() })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .execute();
    await writeAudit(trx, ctx, { action: 'room.update', entityType: 'room', entityId: id, before: toRoom(before), after: { unitId, floor, number, builtArea: areas.built, innerArea: areas.inner, kind } });
  });
  return toRoom(await loadRoom(deps.db, ctx, id));
}

/**
 * Records a status change with its reason in the history. Used by staff directly (transition table enforced) and
 * by workflows (move-in, move-out, renting) through `setRoomStatus` with `force`.
 */
export async function setRoomStatus(trx: Transaction<DB>, ctx: RequestContext, roomId: string, to: RoomStatus, reason: string, opts: { force?: boolean } = {}) {
  const companyId = companyOf(ctx.actor);
  const room = await trx.selectFrom('rooms').select(['id', 'status']).where('id', '=', roomId).where('company_id', '=', companyId).forUpdate().executeTakeFirstOrThrow();
  if (room.status === to) return;
  if (!opts.force && !canChangeStatus(room.status, to)) throw new AppError(422, 'UNPROCESSABLE', 'conflict.roomStatus', { from: room.status, to }, { field: 'status' });
  await trx.updateTable('rooms').set({ status: to, updated_at: new Date() }).where('id', '=', roomId).execute();
  await trx.insertInto('room_status_history').values({ company_id: companyId, room_id: roomId, from_status: room.status, to_status: to, reason, changed_by: ctx.actor.userId }).execute();
  await writeAudit(trx, ctx, { action: 'room.status', entityType: 'room', entityId: roomId, before: { status: room.status }, after: { status: to, reason } });
}

export async function changeRoomStatus(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: { status: RoomStatus; reason: string }) {
  requirePermission(ctx.actor, 'estate.manage');
  await deps.db.transaction().execute(async (trx) => {
    await loadRoom(trx, ctx, id);
    await setRoomStatus(trx, ctx, id, input.status, input.reason);
  });
  return getRoom(deps, ctx, id);
}

/** For other modules: a room of the caller's company in a visible community, or 404 / 400 naming `field`. */
export async function requireRoom(db: Db, ctx: RequestContext, roomId: string, field?: string) {
  try {
    return toRoom(await loadRoom(db, ctx, roomId));
  } catch (err) {
    if (field && err instanceof NotFoundError) throw new ValidationError(field, 'validation.unknownIds');
    throw err;
  }
}
