import { sql, type Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB } from '../../db/schema.ts';
import { type RequestContext, type Db, canSeeCommunity, companyOf, requirePermission, communityScope } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { maskPhone, startsWith } from '../../core/validation.ts';
import { assertCommunity } from '../estate/repo.ts';
import { checkIdNumber, checkPlate } from './rules.ts';
import { selectResidents, selectVehicles, toResident, toVehicle } from './repo.ts';
import type { CreateResidentInput, Resident, UpdateResidentInput } from './schema.ts';

const ID_REASONS = { length: '长度', chars: '字符', region: '地区码', birthday: '出生日期', checksum: '校验位' } as const;

/** Validates and normalises the identity fields; an ID card number also fills birthday and gender when absent. */
export function normalizeIdentity(input: { idType?: string; idNumber?: string | null; birthday?: string | null; gender?: 'male' | 'female' | null }) {
  if (!input.idNumber || input.idType !== 'idCard') return { idNumber: input.idNumber ?? null, birthday: input.birthday ?? null, gender: input.gender ?? null };
  const c = checkIdNumber(input.idNumber);
  if (!c.ok) throw new ValidationError('idNumber', 'validation.idNumber', { reason: ID_REASONS[c.reason] });
  return { idNumber: c.normalized, birthday: input.birthday ?? c.birthday, gender: input.gender ?? c.gender };
}

async function assertUnique(db: Db, companyId: string, phone: string | null | undefined, idType: string, idNumber: string | null, exceptId?: string) {
  if (phone) {
    let q = db.selectFrom('residents').select(['id', 'name']).where('company_id', '=', companyId).where('phone', '=', phone);
    if (exceptId) q = q.where('id', '<>', exceptId);
    const clash = await q.executeTakeFirst();
    if (clash) throw new ConflictError('conflict.residentPhone', { phone: maskPhone(phone) ?? '', name: clash.name }, { field: 'phone', residentId: clash.id });
  }
  if (idNumber) {
    let q = db.selectFrom('residents').select('id').where('company_id', '=', companyId).where('id_type', '=', idType as never).where('id_number', '=', idNumber);
    if (exceptId) q = q.where('id', '<>', exceptId);
    if (await q.executeTakeFirst()) throw new ConflictError('conflict.residentIdNumber', {}, { field: 'idNumber' });
  }
}

/** Loads a resident the caller may see, or 404 — or, when the id came in a request body, 400 naming `field`. */
export async function loadResident(db: Db, ctx: RequestContext, id: string, field?: string) {
  const row = await selectResidents(db, companyOf(ctx.actor)).where('p.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) {
    if (field) throw new ValidationError(field, 'validation.unknownIds');
    throw new NotFoundError('resident');
  }
  return row;
}

/** The resident a request names: an existing one (`residentId`) or a new one (`resident`) registered in `communityId`. */
export async function existingOrNewResident(
  trx: Transaction<DB>,
  ctx: RequestContext,
  input: { residentId?: string; resident?: Omit<CreateResidentInput, 'communityId'> },
  communityId: string,
): Promise<string> {
  if (input.residentId) return (await loadResident(trx, ctx, input.residentId, 'residentId')).id;
  return insertResident(trx, ctx, { ...input.resident!, communityId });
}

/**
 * Ids of residents matching a search term, as one indexable subquery per form of term (no OR across tables, which
 * would scan): a plate by its unique key, a full phone, a phone's last four digits or a room number, otherwise a
 * name prefix or a room number.
 */
function matchingIds(db: Db, companyId: string, term: string) {
  const byRoomNumber = (n: string) =>
    db
      .selectFrom('room_residents as l')
      .innerJoin('rooms as r', 'r.id', 'l.room_id')
      .select('l.resident_id as id')
      .where('r.company_id', '=', companyId)
      .where('r.number', '=', n)
      .where('l.end_date', 'is', null);
  const residents = () => db.selectFrom('residents').select('id').where('company_id', '=', companyId);
  const plate = checkPlate(term);
  if (plate.ok) return db.selectFrom('vehicles').select('resident_id as id').where('company_id', '=', companyId).where('plate', '=', plate.normalized);
  if (/^1\d{10}$/.test(term)) return residents().where('phone', '=', term);
  // Four digits are either a phone's last four or a room number ("1203"): look both up.
  if (/^\d{4}$/.test(term)) return residents().where(sql`right(phone, 4)`, '=', term).union(byRoomNumber(term));
  return residents().where('name', 'like', startsWith(term)).union(byRoomNumber(term.toUpperCase()));
}

export async function searchResidents(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  q: PageQuery & { q?: string; communityId?: string; relation?: 'owner' | 'family' | 'tenant'; careFlag?: string },
): Promise<Page<Resident>> {
  requirePermission(ctx.actor, 'resident.read');
  const companyId = companyOf(ctx.actor);
  const scope = communityScope(ctx.actor);
  const term = q.q?.trim();
  const base = deps.db
    .selectFrom('residents as p')
    .where('p.company_id', '=', companyId)
    .$if(scope !== null, (qb) => qb.where('p.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('p.community_id', '=', q.communityId!))
    .$if(Boolean(q.careFlag), (qb) => qb.where((eb) => eb(eb.val(q.careFlag!), '=', eb.fn.any('p.care_flags'))))
    .$if(Boolean(q.relation), (qb) =>
      qb.where((eb) => eb.exists(eb.selectFrom('room_residents as l').select('l.id').whereRef('l.resident_id', '=', 'p.id').where('l.relation', '=', q.relation!).where('l.end_date', 'is', null))),
    )
    .$if(Boolean(term), (qb) => qb.where('p.id', 'in', matchingIds(deps.db, companyId, term!)));
  const [ids, count] = await Promise.all([
    base.select('p.id').orderBy('p.name').orderBy('p.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const rows = ids.length ? await selectResidents(deps.db, companyId).where('p.id', 'in', ids.map((r) => r.id)).orderBy('p.name').orderBy('p.id').execute() : [];
  return { items: rows.map(toResident), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function getResident(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string) {
  requirePermission(ctx.actor, 'resident.read');
  const companyId = companyOf(ctx.actor);
  const row = await loadResident(deps.db, ctx, id);
  const [vehicles, committee] = await Promise.all([
    selectVehicles(deps.db, companyId).where('v.resident_id', '=', id).orderBy('v.plate').execute(),
    deps.db.selectFrom('committee_members').select(['id', 'position', 'term_start', 'term_end']).where('resident_id', '=', id).where('company_id', '=', companyId).orderBy('term_start', 'desc').execute(),
  ]);
  return {
    ...toResident(row),
    vehicles: vehicles.map(toVehicle),
    committee: committee.map((c) => ({ id: c.id, position: c.position, termStart: c.term_start, termEnd: c.term_end })),
  };
}

/** Inserts a resident inside the caller's transaction (used by link, move-in, approvals and imports). */
export async function insertResident(trx: Transaction<DB>, ctx: RequestContext, input: CreateResidentInput): Promise<string> {
  const companyId = companyOf(ctx.actor);
  await assertCommunity(trx, ctx.actor, companyId, input.communityId);
  const identity = normalizeIdentity(input);
  await assertUnique(trx, companyId, input.phone, input.idType, identity.idNumber);
  const row = await trx
    .insertInto('residents')
    .values({
      company_id: companyId,
      community_id: input.communityId,
      name: input.name,
      phone: input.phone ?? null,
      id_type: input.idType,
      id_number: identity.idNumber,
      gender: identity.gender,
      birthday: identity.birthday,
      care_flags: input.careFlags,
      profile_note: input.profileNote ?? null,
      safety_note: input.safetyNote ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeAudit(trx, ctx, { action: 'resident.create', entityType: 'resident', entityId: row.id, after: { name: input.name, phone: maskPhone(input.phone ?? null), communityId: input.communityId } });
  return row.id;
}

export async function createResident(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateResidentInput) {
  requirePermission(ctx.actor, 'resident.manage');
  const id = await deps.db.transaction().execute((trx) => insertResident(trx, ctx, input));
  return getResident(deps, ctx, id);
}

export async function updateResident(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: UpdateResidentInput) {
  requirePermission(ctx.actor, 'resident.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    await loadResident(trx, ctx, id);
    const before = await trx.selectFrom('residents').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    const idType = input.idType ?? before.id_type;
    const identity = normalizeIdentity({
      idType,
      idNumber: input.idNumber === undefined ? before.id_number : input.idNumber,
      birthday: input.birthday === undefined ? before.birthday : input.birthday,
      gender: input.gender === undefined ? before.gender : input.gender,
    });
    const phone = input.phone === undefined ? before.phone : input.phone;
    await assertUnique(trx, companyId, phone, idType, identity.idNumber, id);
    const after = await trx
      .updateTable('residents')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        phone,
        id_type: idType,
        id_number: identity.idNumber,
        birthday: identity.birthday,
        gender: identity.gender,
        ...(input.careFlags !== undefined && { care_flags: input.careFlags }),
        ...(input.profileNote !== undefined && { profile_note: input.profileNote }),
        ...(input.safetyNote !== undefined && { safety_note: input.safetyNote }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const masked = (r: typeof before) => ({ ...r, phone: maskPhone(r.phone), id_number: r.id_number ? '[changed]' : null });
    await writeAudit(trx, ctx, { action: 'resident.update', entityType: 'resident', entityId: id, before: masked(before), after: masked(after) });
  });
  return getResident(deps, ctx, id);
}

/** Shows phone and ID number in full to a role allowed to see them, and records that it happened. */
export async function revealResident(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string) {
  requirePermission(ctx.actor, 'resident.read');
  requirePermission(ctx.actor, 'personal.viewFull');
  await loadResident(deps.db, ctx, id);
  return deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('residents').select(['id', 'phone', 'id_number']).where('id', '=', id).executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'resident.viewPersonal', entityType: 'resident', entityId: id });
    return { id: r.id, phone: r.phone, idNumber: r.id_number };
  });
}
