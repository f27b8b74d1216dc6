import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ClockName, TicketKind, TicketStatus } from '../db/schema-service-desk.ts';
import { deskConfig, ensureDesk } from '../modules/servicedesk/config.ts';
import { computeClocks } from '../modules/servicedesk/repo.ts';
import { CLOCKS, clockState, pickPolicy, returnVisitFor } from '../modules/servicedesk/rules.ts';
import { localDate } from '../modules/servicedesk/deadlines.ts';
import { between, pick, rng } from './people.ts';

/**
 * The service desk of a demo company: a repair group (维修组) and a customer-service group (客服组), dispatch rules
 * (锦华苑's in-home repairs go round-robin to the repair group, public lighting to its grab pool) and about 100
 * tickets per community over the last 90 days in every lifecycle state, with deadlines from the company's policies and calendar,
 * the timeline of each, owner ratings, return visits, a few overdue and at-risk open tickets, and one 大修 waiting
 * for the owners' committee. 张伟 (13800138001, 锦华苑 1栋-1单元-1201) has three requests of his own, one completed
 * and waiting for his rating. Rows are made in memory and written in a few batched statements.
 */

type Db = Kysely<DB> | Transaction<DB>;
type TicketRow = Insertable<DB['tickets']>;
type EventRow = Insertable<DB['ticket_events']>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PREFIX: Record<TicketKind, string> = { homeRepair: 'WX', publicRepair: 'GW', complaint: 'TS', inquiry: 'ZX', paidService: 'TY' };

const TITLES: Record<string, string[]> = {
  waterElectric: ['卫生间水管漏水', '厨房插座没电', '热水器不出热水'],
  doorWindow: ['入户门关不严', '窗户把手松动', '阳台推拉门卡住'],
  drain: ['厨房下水道堵塞', '卫生间地漏返味', '马桶堵塞'],
  simple: ['客厅灯泡不亮', '门锁锁芯更换', '水龙头垫片更换'],
  otherHome: ['墙面渗水发霉', '吊顶石膏板开裂', '空调冷凝水管漏水'],
  elevator: ['电梯按钮失灵', '电梯运行异响', '电梯门关闭缓慢'],
  lighting: ['楼道感应灯不亮', '地下车库照明损坏', '路灯不亮'],
  doorGlass: ['单元门闭门器损坏', '大堂玻璃门裂纹', '消防通道门把手脱落'],
  sewer: ['雨水井盖缺失', '主路积水', '污水井外溢'],
  otherPublic: ['儿童游乐设施松动', '健身器材损坏', '围墙栏杆锈蚀'],
  noise: ['楼上装修噪音扰民', '夜间广场舞噪音', '邻居犬吠扰民'],
  attitude: ['门岗保安态度生硬', '客服电话无人接听', '维修人员未按约定时间上门'],
  environment: ['垃圾清运不及时', '楼道堆放杂物', '绿化带杂草丛生'],
  otherComplaint: ['车辆占用消防通道', '高空抛物', '快递堆放占用通道'],
  fee: ['物业费缴费方式咨询', '停车费标准咨询', '公摊水电费咨询'],
  general: ['装修手续办理咨询', '门禁卡补办咨询', '访客登记咨询'],
  procedure: ['房产证办理咨询', '户口迁入手续咨询', '燃气开通流程咨询'],
  paidRepair: ['更换卫浴五金', '安装晾衣架', '更换入户门锁'],
  housekeeping: ['空调清洗', '新房开荒保洁', '油烟机清洗'],
};
const PUBLIC_PLACES = ['3栋大堂', '地下车库B1', '南门岗', '中心花园', '2栋楼道', '东侧主路'];
const PAUSE_NOTES = ['等待业主在家', '配件需要订货', '需业主确认维修方案'];
const EXTEND_NOTES = ['需协调施工方进场', '配件厂家延期发货'];

interface DeskStaff {
  desk: { id: string; name: string };
  manager: { id: string; name: string };
  technicians: Array<{ id: string; name: string; communities: Set<string> }>;
  repairGroup: string;
}

export interface ServiceDeskCounts {
  tickets: number;
  events: number;
  returnVisits: number;
}

/**
 * The service desk of each demo company, after the estates are written (the desk's defaults are provisioned in a
 * transaction of their own, so this cannot run inside the estate seed's). One transaction per company.
 */
export async function seedServiceDesk(db: Kysely<DB>, companies: ReadonlyArray<{ code: string; seed: number }>): Promise<ServiceDeskCounts> {
  const total: ServiceDeskCounts = { tickets: 0, events: 0, returnVisits: 0 };
  for (const c of companies) {
    const company = await db.selectFrom('companies').select('id').where('code', '=', c.code).executeTakeFirst();
    if (!company) continue;
    await ensureDesk(db, company.id);
    // 锦华苑 first: its in-home repairs get the round-robin rule.
    const rows = await db.selectFrom('communities').select(['id', 'code', 'name']).where('company_id', '=', company.id).orderBy('code').execute();
    rows.sort((a, b) => Number(b.name === '锦华苑') - Number(a.name === '锦华苑'));
    const users = await db.selectFrom('users').select(['id', 'username', 'all_communities']).where('company_id', '=', company.id).where('kind', '=', 'staff').orderBy('all_communities', 'desc').orderBy('created_at').execute();
    const staff = new Map(users.filter((u) => u.username).map((u) => [u.username!, u.id]));
    const made = await db.transaction().execute((trx) => seedCompanyDesk(trx, { companyId: company.id, communities: Object.fromEntries(rows.map((x) => [x.code, x.id])), staff, seed: c.seed }));
    for (const k of Object.keys(total) as Array<keyof ServiceDeskCounts>) total[k] += made[k];
  }
  return total;
}

/** One company's desk. `staff` maps usernames to ids (the administrator first); `communities` codes to ids. */
async function seedCompanyDesk(
  trx: Db,
  opts: { companyId: string; communities: Record<string, string>; staff: Map<string, string>; seed: number; tickets?: number; now?: Date },
): Promise<ServiceDeskCounts> {
  const { companyId } = opts;
  const now = opts.now ?? new Date();
  const r = rng(opts.seed);
  const cfg = await deskConfig(trx, companyId);
  const staff = await deskStaff(trx, companyId, opts.communities, opts.staff);
  const categories = await trx.selectFrom('ticket_categories').select(['id', 'kind', 'code', 'name']).where('company_id', '=', companyId).execute();
  const lighting = categories.find((c) => c.code === 'lighting')!;
  const codes = Object.keys(opts.communities);
  const communities = await trx.selectFrom('communities').select(['id', 'code', 'time_zone']).where('company_id', '=', companyId).execute();
  const zoneOf = new Map(communities.map((c) => [c.id, c.time_zone]));

  // Rules: in-home repairs of the first community go round-robin to the repair group; public lighting to its pool.
  await trx
    .insertInto('dispatch_rules')
    .values([
      { company_id: companyId, community_id: opts.communities[codes[0]], kind: 'homeRepair', mode: 'roundRobin', group_id: staff.repairGroup, priority: 10 },
      ...codes.map((code) => ({ company_id: companyId, community_id: opts.communities[code], kind: 'publicRepair' as const, category_id: lighting.id, mode: 'pool' as const, group_id: staff.repairGroup, priority: 20 })),
    ])
    .execute();

  // Homes with a resident owner, to report from.
  const homes = await sql<{ room_id: string; building_id: string; zone_id: string | null; community_id: string; resident_id: string; name: string; phone: string | null }>`
    SELECT DISTINCT ON (r.id) r.id AS room_id, r.building_id, b.zone_id, r.community_id, p.id AS resident_id, p.name, p.phone
    FROM rooms r JOIN buildings b ON b.id = r.building_id
    JOIN room_residents rr ON rr.room_id = r.id AND rr.relation = 'owner' AND rr.end_date IS NULL JOIN residents p ON p.id = rr.resident_id
    WHERE r.company_id = ${companyId} AND r.kind = 'residence' AND r.number LIKE '%0_'
    ORDER BY r.id LIMIT 600`.execute(trx);
  const homesOf = (communityId: string) => homes.rows.filter((h) => h.community_id === communityId);

  const tickets: TicketRow[] = [];
  const events: EventRow[] = [];
  const visits: Array<Insertable<DB['return_visits']>> = [];
  const counters = new Map<string, number>();
  const numberFor = (kind: TicketKind, at: Date, zone: string) => {
    const day = localDate(at, zone);
    const next = (counters.get(day) ?? 0) + 1;
    counters.set(day, next);
    return `${PREFIX[kind]}${day.replaceAll('-', '')}${String(next).padStart(4, '0')}`;
  };
  const rr = { cursor: 0 };

  const plan = (spec: TicketSpec) => {
    const made = buildTicket(spec, { companyId, cfg, staff, now, r, rr, zone: zoneOf.get(spec.communityId) ?? 'Asia/Shanghai', numberFor });
    tickets.push(made.ticket);
    events.push(...made.events);
    if (made.visit) visits.push(made.visit);
  };

  // The owner's own requests (锦华苑 1栋-1单元-1201), when this company has him.
  const owner = await sql<{ user_id: string; resident_id: string; name: string; phone: string; room_id: string; building_id: string; zone_id: string | null; community_id: string }>`
    SELECT us.id AS user_id, p.id AS resident_id, p.name, p.phone, r.id AS room_id, r.building_id, b.zone_id, r.community_id
    FROM users us JOIN residents p ON p.id = us.resident_id
    JOIN room_residents rr ON rr.resident_id = p.id AND rr.end_date IS NULL JOIN rooms r ON r.id = rr.room_id JOIN buildings b ON b.id = r.building_id
    JOIN building_units un ON un.id = r.unit_id
    WHERE us.company_id = ${companyId} AND us.phone = '13800138001' AND b.name = '1栋' AND un.name = '1单元' AND r.number = '1201'`.execute(trx);
  const zw = owner.rows[0];
  const cat = (code: string) => categories.find((c) => c.code === code)!;
  if (zw) {
    const home = { room_id: zw.room_id, building_id: zw.building_id, zone_id: zw.zone_id, community_id: zw.community_id, resident_id: zw.resident_id, name: zw.name, phone: zw.phone, userId: zw.user_id };
    plan({ communityId: zw.community_id, category: cat('simple'), title: '入户门锁芯更换', home, channel: 'ownerApp', reportedAt: new Date(now.getTime() - 41 * DAY - 3 * HOUR), fate: 'closed', rating: 5 });
    plan({ communityId: zw.community_id, category: cat('waterElectric'), title: '卫生间水龙头漏水', home, channel: 'ownerApp', reportedAt: new Date(now.getTime() - 2 * DAY - 5 * HOUR), fate: 'completed' });
    plan({ communityId: zw.community_id, category: lighting, title: '1单元12楼楼道灯不亮', home, location: '1栋1单元12楼', channel: 'ownerApp', reportedAt: new Date(now.getTime() - 20 * 60_000), fate: 'submitted' });
  }
  // A 大修 waiting for the owners' committee before work may start.
  plan({
    communityId: opts.communities[codes[0]],
    category: cat('otherPublic'),
    title: '3栋外墙渗水修缮（大修）',
    description: '3栋东侧外墙多处渗水，需搭设吊篮重做防水层，预算约 8.6 万元，拟使用专项维修资金，待业委会审议。',
    location: '3栋东侧外墙',
    channel: 'patrol',
    reportedAt: new Date(now.getTime() - 4 * DAY - 2 * HOUR),
    fate: 'accepted',
    repairSize: 'major',
  });

  // Open tickets the sweep is warning about (two at risk, one overdue), and one waiting for a part.
  const first = opts.communities[codes[0]];
  const someHome = () => ({ ...pick(r, homesOf(first)), userId: null });
  plan({ communityId: first, category: lighting, title: '地下车库B1照明损坏', location: '地下车库B1', channel: 'patrol', reportedAt: new Date(now.getTime() - 42 * HOUR), fate: 'dispatched' });
  plan({ communityId: first, category: cat('noise'), title: '楼上装修噪音扰民', home: someHome(), channel: 'hotline', reportedAt: new Date(now.getTime() - 7 * HOUR), fate: 'arrived' });
  plan({ communityId: first, category: cat('waterElectric'), title: '厨房水管爆裂', home: someHome(), channel: 'hotline', reportedAt: new Date(now.getTime() - 6 * HOUR), fate: 'inProgress', urgent: true });
  plan({ communityId: first, category: cat('doorWindow'), title: '阳台推拉门滑轮损坏', home: someHome(), channel: 'ownerApp', reportedAt: new Date(now.getTime() - 3 * DAY), fate: 'paused' });

  const weights: Array<[TicketKind, number]> = [['homeRepair', 0.4], ['publicRepair', 0.2], ['complaint', 0.13], ['inquiry', 0.17], ['paidService', 0.1]];
  const count = opts.tickets ?? 100 * codes.length;
  while (tickets.length < count) {
    const u = r();
    let acc = 0;
    const kind = weights.find(([, w]) => (acc += w) > u)?.[0] ?? 'paidService';
    const category = pick(r, categories.filter((c) => c.kind === kind));
    const code = codes[Math.min(codes.length - 1, Math.floor(Math.pow(r(), 1.4) * codes.length))];
    const communityId = opts.communities[code];
    const home = kind === 'publicRepair' ? null : pick(r, homesOf(communityId));
    const reportedAt = new Date(now.getTime() - (Math.pow(r(), 1.1) * 90 * DAY + 10 * 60_000));
    plan({
      communityId,
      category,
      title: pick(r, TITLES[category.code] ?? [category.name]),
      home: home ? { ...home, userId: null } : null,
      location: home ? undefined : pick(r, PUBLIC_PLACES),
      channel: kind === 'publicRepair' ? pick(r, ['patrol', 'hotline', 'monitoring', 'frontDesk'] as const) : pick(r, ['ownerApp', 'ownerApp', 'hotline', 'frontDesk'] as const),
      reportedAt,
      fate: fateOf(r, now.getTime() - reportedAt.getTime(), kind),
      urgent: (kind === 'homeRepair' || kind === 'publicRepair') && r() < 0.1,
      major: kind === 'complaint' && r() < 0.15,
    });
  }

  for (let i = 0; i < tickets.length; i += 100) await trx.insertInto('tickets').values(tickets.slice(i, i + 100)).execute();
  for (let i = 0; i < events.length; i += 500) await trx.insertInto('ticket_events').values(events.slice(i, i + 500)).execute();
  if (visits.length) await trx.insertInto('return_visits').values(visits).execute();
  await trx.insertInto('ticket_counters').values([...counters].map(([day, last]) => ({ company_id: companyId, day, last }))).execute();
  await notifyStaff(trx, companyId, staff, tickets);
  return { tickets: tickets.length, events: events.length, returnVisits: visits.length };
}

/** The desk, the manager and the technicians; two more technicians join 周强 (weixiu) in the repair group. */
async function deskStaff(trx: Db, companyId: string, communities: Record<string, string>, staff: Map<string, string>): Promise<DeskStaff> {
  const codes = Object.keys(communities);
  const name = async (id: string) => (await trx.selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirstOrThrow()).display_name;
  const adminId = [...staff.values()][0];
  const visible = async (id: string) => {
    const row = await trx.selectFrom('users').select('all_communities').where('id', '=', id).executeTakeFirstOrThrow();
    if (row.all_communities) return new Set(Object.values(communities));
    return new Set((await trx.selectFrom('user_communities').select('community_id').where('user_id', '=', id).execute()).map((x) => x.community_id));
  };
  const technicians: DeskStaff['technicians'] = [];
  const weixiu = staff.get('weixiu');
  if (weixiu) {
    technicians.push({ id: weixiu, name: await name(weixiu), communities: await visible(weixiu) });
    // Login-less staff records: they appear in dispatch lists and the figures, but nobody signs in as them.
    const role = await trx.selectFrom('roles').select('id').where('company_id', '=', companyId).where('builtin_key', '=', 'technician').executeTakeFirstOrThrow();
    for (const [username, display, phone] of [['weixiu2', '李建国', '13800138015'], ['weixiu3', '王海涛', '13800138016']] as const) {
      const user = await trx.insertInto('users').values({ company_id: companyId, kind: 'staff', username, display_name: display, phone, password_hash: null }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('user_roles').values({ user_id: user.id, role_id: role.id }).execute();
      await trx.insertInto('user_communities').values(codes.map((c) => ({ user_id: user.id, community_id: communities[c] }))).execute();
      technicians.push({ id: user.id, name: display, communities: new Set(Object.values(communities)) });
    }
  } else {
    technicians.push({ id: adminId, name: await name(adminId), communities: new Set(Object.values(communities)) });
  }
  const deskId = staff.get('kefu') ?? adminId;
  const managerId = staff.get('jingli') ?? adminId;
  const groups = await trx
    .insertInto('staff_groups')
    .values([
      { company_id: companyId, name: '维修组', leader_id: managerId },
      { company_id: companyId, name: '客服组', leader_id: managerId },
    ])
    .returning(['id', 'name'])
    .execute();
  const repairGroup = groups.find((g) => g.name === '维修组')!.id;
  const serviceGroup = groups.find((g) => g.name === '客服组')!.id;
  await trx
    .insertInto('staff_group_members')
    .values([
      ...technicians.map((t, position) => ({ group_id: repairGroup, user_id: t.id, company_id: companyId, position })),
      { group_id: serviceGroup, user_id: deskId, company_id: companyId, position: 0 },
    ])
    .execute();
  return { desk: { id: deskId, name: await name(deskId) }, manager: { id: managerId, name: await name(managerId) }, technicians, repairGroup };
}

type Fate = Exclude<TicketStatus, 'visited'>;

/** The status a ticket of this age has reached: old ones are closed, recent ones anywhere along the way. */
function fateOf(r: () => number, ageMs: number, kind: TicketKind): Fate {
  const u = r();
  if (u < 0.04) return 'cancelled';
  if (ageMs < HOUR) return u < 0.4 ? 'submitted' : u < 0.7 ? 'accepted' : kind === 'inquiry' ? 'closed' : 'dispatched';
  if (kind === 'inquiry') return 'closed';
  if (ageMs > 7 * DAY) return u < 0.92 ? 'closed' : u < 0.98 ? 'confirmed' : u < 0.99 ? 'paused' : 'inProgress';
  if (ageMs > 2 * DAY) return u < 0.5 ? 'closed' : u < 0.65 ? 'confirmed' : u < 0.8 ? 'completed' : u < 0.92 ? 'inProgress' : u < 0.97 ? 'paused' : 'dispatched';
  return u < 0.25 ? 'dispatched' : u < 0.35 ? 'arrived' : u < 0.55 ? 'inProgress' : u < 0.85 ? 'completed' : 'closed';
}

interface TicketSpec {
  communityId: string;
  category: { id: string; kind: TicketKind; code: string };
  title: string;
  description?: string;
  home?: { room_id: string; building_id: string; zone_id: string | null; resident_id: string; name: string; phone: string | null; userId: string | null } | null;
  location?: string;
  channel: 'ownerApp' | 'frontDesk' | 'hotline' | 'monitoring' | 'patrol';
  reportedAt: Date;
  fate: Fate;
  urgent?: boolean;
  major?: boolean;
  repairSize?: 'medium' | 'major';
  rating?: number;
}

const STEPS = ['accepted', 'dispatched', 'arrived', 'inProgress', 'completed', 'confirmed', 'closed'] as const;
const reached = (fate: Fate, step: (typeof STEPS)[number]) => fate !== 'cancelled' && fate !== 'submitted' && STEPS.indexOf(step) <= Math.max(STEPS.indexOf(fate === 'paused' ? 'inProgress' : (fate as (typeof STEPS)[number])), -1);

/** One ticket with its clocks and timeline, played forward from its report to its fate and squeezed to end by now. */
function buildTicket(
  spec: TicketSpec,
  ctx: {
    companyId: string;
    cfg: Awaited<ReturnType<typeof deskConfig>>;
    staff: DeskStaff;
    now: Date;
    r: () => number;
    rr: { cursor: number };
    zone: string;
    numberFor: (kind: TicketKind, at: Date, zone: string) => string;
  },
) {
  const { r, staff, now } = ctx;
  const id = randomUUID();
  const kind = spec.category.kind;
  const urgency = spec.urgent ? 'urgent' : 'normal';
  const severity = spec.major ? 'major' : 'ordinary';
  const policy = pickPolicy(ctx.cfg.policies, { communityId: spec.communityId, kind, categoryId: spec.category.id, urgency, severity });
  const t0 = spec.reportedAt.getTime();
  const { columns } = computeClocks(policy?.clocks ?? {}, spec.reportedAt, now, { calendar: ctx.cfg.calendar, hours: ctx.cfg.settings.hours, timeZone: ctx.zone, atRiskPercent: ctx.cfg.settings.atRiskPercent });
  const allowance = (c: ClockName) => (columns[`${c}_due_at`] ? columns[`${c}_due_at`]!.getTime() - t0 : null);
  // How long each step took, as a share of its clock's allowance: mostly in time, sometimes late.
  const share = (late: number) => (r() < late ? 1.1 + r() * 1.5 : 0.1 + r() * 0.8);
  const visitFor = ['completed', 'confirmed', 'closed'].includes(spec.fate) ? returnVisitFor({ id, kind, severity }, ctx.cfg.settings.returnVisitSamplePercent) : null;
  // Confirming a ticket without a return visit closes it at once.
  const fate: Fate = spec.fate === 'confirmed' && !visitFor ? 'closed' : spec.fate;
  const desk = kind === 'complaint' || kind === 'inquiry';
  const workers = staff.technicians.filter((x) => x.communities.has(spec.communityId));
  const pool = fate === 'submitted' && spec.category.code === 'lighting';
  const assignee = reached(fate, 'dispatched') && kind !== 'inquiry' ? (desk ? staff.desk : (workers[ctx.rr.cursor++ % workers.length] ?? staff.desk)) : null;

  type Step = { action: string; at: number; from: TicketStatus | null; to: TicketStatus | null; actor: { id: string; name: string } | null; note?: string; payload?: object };
  const steps: Step[] = [];
  let cur: TicketStatus = 'submitted';
  const go = (action: string, at: number, to: TicketStatus, actor: Step['actor'], note?: string, payload?: object) => {
    steps.push({ action, at, from: action === 'create' ? null : cur, to, actor, note, payload });
    cur = to;
  };
  go('create', t0, 'submitted', spec.channel === 'ownerApp' ? null : staff.desk, undefined, { channel: spec.channel });
  let at = t0 + (allowance('respond') ?? allowance('reply') ?? 30 * 60_000) * share(0.08);
  const stops: Partial<Record<ClockName, number>> = {};
  if (fate === 'cancelled') go('cancel', at, 'cancelled', staff.desk, '业主已自行处理，撤销报修');
  if (reached(fate, 'accepted')) {
    stops.respond = at;
    if (kind === 'inquiry') {
      stops.reply = at;
      go('reply', at, cur, staff.desk, '已电话答复业主');
    } else {
      go('accept', at, 'accepted', staff.desk);
    }
  }
  if (assignee) {
    at += 30_000 + r() * 2 * 60_000;
    go('dispatch', at, 'dispatched', staff.desk, undefined, { assigneeId: assignee.id });
  }
  if (assignee && reached(fate, 'arrived')) {
    at = Math.max(at + 60_000, t0 + (allowance('arrive') ?? 2 * HOUR) * share(0.1));
    stops.arrive = at;
    go('arrive', at, 'arrived', assignee);
  }
  if (assignee && reached(fate, 'inProgress')) {
    at += 5 * 60_000;
    go('start', at, 'inProgress', assignee);
  }
  let paused: { at: number; until: number | null } | null = null;
  if (assignee && (fate === 'paused' || (reached(fate, 'completed') && r() < 0.05))) {
    at += HOUR;
    paused = { at, until: null };
    go('pause', at, 'paused', assignee, pick(r, PAUSE_NOTES));
    if (fate !== 'paused') {
      at += 6 * HOUR + r() * DAY;
      paused.until = at;
      go('resume', at, 'inProgress', assignee);
    }
  }
  let reworked = 0;
  if (reached(fate, 'completed')) {
    const main = allowance('resolve') ?? allowance('reply') ?? 2 * HOUR;
    at = Math.max(at + 30 * 60_000, t0 + main * share(kind === 'complaint' ? 0.15 : 0.1));
    if (assignee && !desk && fate === 'closed' && r() < 0.05) {
      // Not fixed the first time: the owner sent it back (返修), counted against the technician.
      go('complete', at, 'completed', assignee, '已修复');
      go('rework', at + DAY, 'dispatched', null, '仍有渗漏，问题未解决');
      go('arrive', at + DAY + 2 * HOUR, 'arrived', assignee);
      go('start', at + DAY + 2 * HOUR + 5 * 60_000, 'inProgress', assignee);
      at += DAY + 4 * HOUR;
      reworked = 1;
    }
    stops.resolve = at;
    stops.reply ??= at;
    go('complete', at, 'completed', assignee ?? staff.desk, desk ? '已答复业主' : '已修复，现场已清理');
  }
  let rating: number | null = null;
  if (reached(fate, 'confirmed')) {
    rating = spec.rating ?? (kind !== 'inquiry' && (spec.channel === 'ownerApp' || r() < 0.4) ? pick(r, [5, 5, 5, 5, 4, 4, 4, 3, 2]) : null);
    at += DAY * (rating ? 0.5 + r() : 3);
    go('confirm', at, 'confirmed', null, undefined, rating ? { rating } : { auto: true });
  }
  let visitStatus: 'pending' | 'done' | 'unreachable' | 'failed' | null = visitFor ? 'pending' : null;
  let satisfaction: number | null = null;
  if (visitFor && fate === 'closed') {
    visitStatus = r() < 0.93 ? 'done' : 'failed';
    at += DAY * (0.2 + r());
    if (visitStatus === 'done') {
      satisfaction = pick(r, [5, 5, 5, 5, 5, 4, 4, 4, 3, 2]);
      go('returnVisit', at, 'visited', staff.desk, undefined, { satisfaction, resolved: true, channel: 'phone' });
    } else {
      go('visitUnreachable', at, cur, staff.desk, undefined, { attempts: 3, failed: true });
    }
  } else if (visitFor && fate === 'confirmed' && r() < 0.4) {
    visitStatus = 'unreachable';
  }
  if (fate === 'closed') go('close', at + 60_000, 'closed', null, undefined, { auto: true });

  // Everything happened by now: a ticket whose steps would run past now had them sooner.
  const last = Math.max(...steps.map((s) => s.at));
  const squeeze = last > now.getTime() - 60_000 ? (now.getTime() - 60_000 - t0) / (last - t0) : 1;
  const when = (x: number) => new Date(t0 + Math.floor((x - t0) * squeeze));
  for (const k of Object.keys(stops) as ClockName[]) stops[k] = when(stops[k]!).getTime();
  const pausedAt = paused ? when(paused.at).getTime() : null;

  const clockColumns: Record<string, Date | string | null> = { ...columns };
  // A pause stops the clocks still running (the policy's default): their deadlines move on by its length.
  if (paused?.until && (policy?.pauseStopsClock ?? true)) {
    const shift = when(paused.until).getTime() - pausedAt!;
    for (const c of CLOCKS) {
      const due = columns[`${c}_due_at`];
      if (!due || (stops[c] !== undefined && stops[c]! <= pausedAt!)) continue;
      clockColumns[`${c}_due_at`] = new Date(due.getTime() + shift);
      clockColumns[`${c}_warn_at`] = new Date(columns[`${c}_warn_at`]!.getTime() + shift);
    }
  }
  // An extension by the manager moves a deadline of a few slow tickets, with a reason on the timeline.
  if (clockColumns.resolve_due_at && r() < 0.04) {
    const from = clockColumns.resolve_due_at as Date;
    const to = new Date(from.getTime() + 2 * DAY);
    clockColumns.resolve_due_at = to;
    clockColumns.resolve_warn_at = new Date(t0 + (to.getTime() - t0) * 0.8);
    const extendAt = Math.max(t0 + 60_000, Math.min(from.getTime() - HOUR, now.getTime() - 60_000));
    steps.push({ action: 'extend', at: extendAt, from: null, to: null, actor: staff.manager, note: pick(r, EXTEND_NOTES), payload: { clock: 'resolve', from: from.toISOString(), to: to.toISOString() } });
  }
  const stateAt = pausedAt ?? now.getTime();
  for (const c of CLOCKS) {
    const due = clockColumns[`${c}_due_at`] as Date | undefined;
    if (!due) continue;
    const done = stops[c] !== undefined ? new Date(stops[c]!) : null;
    clockColumns[`${c}_done_at`] = done;
    clockColumns[`${c}_state`] = fate === 'cancelled' && !done ? null : clockState({ dueAt: due, warnAt: clockColumns[`${c}_warn_at`] as Date, doneAt: done }, new Date(stateAt));
  }
  const stepAt = (action: string) => {
    const s = steps.filter((x) => x.action === action).at(-1);
    return s ? when(s.at) : null;
  };
  const completedAt = stepAt('complete');
  const status: TicketStatus = fate;
  const ticket: TicketRow = {
    id,
    company_id: ctx.companyId,
    community_id: spec.communityId,
    no: ctx.numberFor(kind, spec.reportedAt, ctx.zone),
    kind,
    category_id: spec.category.id,
    urgency,
    severity,
    repair_size: spec.repairSize ?? (kind === 'homeRepair' || kind === 'publicRepair' ? 'small' : null),
    room_id: spec.home?.room_id ?? null,
    building_id: spec.home?.building_id ?? null,
    zone_id: spec.home?.zone_id ?? null,
    location: spec.location ?? null,
    title: spec.title,
    description: spec.description ?? '',
    channel: spec.channel,
    reporter_user_id: spec.home?.userId ?? null,
    reporter_resident_id: spec.home?.resident_id ?? null,
    reporter_name: spec.home?.name ?? (spec.channel === 'patrol' ? '巡查员' : '业主'),
    reporter_phone: spec.home?.phone ?? null,
    reported_at: spec.reportedAt,
    status,
    paused_from: fate === 'paused' ? 'inProgress' : null,
    paused_at: fate === 'paused' && pausedAt ? new Date(pausedAt) : null,
    assignee_id: assignee?.id ?? null,
    group_id: pool ? staff.repairGroup : null,
    in_pool: pool,
    acknowledged_at: reached(fate, 'arrived') ? stepAt('arrive') : null,
    policy_id: policy?.id ?? null,
    pause_stops_clock: policy?.pauseStopsClock ?? true,
    approval_status: spec.repairSize ? 'pending' : 'notNeeded',
    rework_count: reworked,
    rating,
    rating_tags: rating && rating >= 4 ? ['准时', '专业'] : [],
    rated_at: rating ? stepAt('confirm') : null,
    reply_text: desk && reached(fate, 'completed') ? '已处理并答复业主。' : null,
    charge_fen: kind === 'paidService' && reached(fate, 'completed') ? between(r, 3, 30) * 1000 : null,
    cancel_reason: fate === 'cancelled' ? '业主已自行处理，撤销报修' : null,
    accepted_at: stepAt('accept') ?? stepAt('reply'),
    dispatched_at: stepAt('dispatch'),
    arrived_at: stepAt('arrive'),
    completed_at: completedAt,
    closed_at: fate === 'closed' ? stepAt('close') : fate === 'cancelled' ? stepAt('cancel') : null,
    created_by: spec.channel === 'ownerApp' ? null : staff.desk.id,
    created_at: spec.reportedAt,
    updated_at: when(last),
    ...(clockColumns as Partial<TicketRow>),
  };
  const events: EventRow[] = steps.map((s) => ({
    company_id: ctx.companyId,
    ticket_id: id,
    at: when(s.at),
    actor_id: s.actor?.id ?? null,
    actor_name: s.actor?.name ?? null,
    action: s.action,
    from_status: s.from,
    to_status: s.to,
    note: s.note ?? null,
    payload: JSON.stringify(s.payload ?? {}),
    created_at: when(s.at),
  }));
  const visit =
    visitFor && completedAt
      ? {
          company_id: ctx.companyId,
          community_id: spec.communityId,
          ticket_id: id,
          reason: visitFor.reason,
          mandatory: visitFor.mandatory,
          status: visitStatus!,
          attempts: visitStatus === 'pending' ? 0 : visitStatus === 'failed' ? 3 : 1,
          next_attempt_at: visitStatus === 'unreachable' ? new Date(now.getTime() + 6 * HOUR) : completedAt,
          satisfaction,
          resolved: visitStatus === 'done' ? true : null,
          answers: JSON.stringify(satisfaction ? { resolved: true, punctual: satisfaction >= 4, satisfaction } : {}),
          channel: visitStatus === 'done' ? ('phone' as const) : null,
          visited_by: visitStatus === 'done' ? staff.desk.id : null,
          visited_at: visitStatus === 'done' ? stepAt('returnVisit') : null,
          created_at: completedAt,
          updated_at: completedAt,
        }
      : null;
  return { ticket, events, visit };
}

/** A few unread notifications so the console's bell and the technician's phone have something to show. */
async function notifyStaff(trx: Db, companyId: string, staff: DeskStaff, tickets: TicketRow[]) {
  const open = tickets.filter((t) => ['dispatched', 'arrived', 'inProgress'].includes(t.status as string) && t.assignee_id);
  const overdue = tickets.filter((t) => ['submitted', 'accepted', 'dispatched', 'arrived', 'inProgress'].includes(t.status as string) && CLOCKS.some((c) => t[`${c}_state`] === 'overdue'));
  const rows = [
    ...open.slice(-5).map((t) => ({ company_id: companyId, user_id: t.assignee_id!, ticket_id: t.id!, kind: 'assigned', title: `${t.no} ${t.title}`, body: '' })),
    ...overdue.slice(-3).map((t) => ({ company_id: companyId, user_id: staff.manager.id, ticket_id: t.id!, kind: 'overdue', title: `${t.no} ${t.title}`, body: 'resolve' })),
  ];
  if (rows.length) await trx.insertInto('notifications').values(rows).execute();
}
