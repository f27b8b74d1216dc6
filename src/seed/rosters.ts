import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { RosterKind, TrainingTopic } from '../db/schema-rosters.ts';
import { localDate } from '../modules/servicedesk/deadlines.ts';
import { nextDay } from '../modules/rosters/onshift.ts';
import { mondayOf } from '../modules/rosters/rules.ts';

/**
 * Demo staff structure for company demo-a: five departments, the 8-hour shifts of 锦华苑 (JHY) and 碧澜湾 (BLW),
 * JHY's posts, eight more guards so 1号岗 and 监控中心 are staffed round the clock (three fixed shifts and a relief
 * who covers each one's day off), the roster of last, this and next week — next week with one deliberate gap
 * (监控中心 has nobody on Thursday's night shift: the relief is on leave) — certificates (one expiring within 30
 * days, one guard without 保安员证) and some training. Idempotent: a company that has departments is left alone.
 */

const DEPARTMENTS = [
  { name: '秩序部', kind: 'security', head: 'jingli' },
  { name: '保洁部', kind: 'cleaning', head: 'jingli' },
  { name: '工程部', kind: 'engineering', head: 'weixiu' },
  { name: '客服部', kind: 'service', head: 'kefu' },
  { name: '品质部', kind: 'quality', head: 'pinzhi' },
] as const;

const SHIFTS = [
  { name: '早班', code: 'day', start: '08:00', end: '16:00', color: '#52c41a' },
  { name: '中班', code: 'swing', start: '16:00', end: '00:00', color: '#1677ff' },
  { name: '夜班', code: 'night', start: '00:00', end: '08:00', color: '#722ed1' },
] as const;
type ShiftCode = (typeof SHIFTS)[number]['code'];

/** Guards of the two 24-hour posts: three on fixed shifts, the fourth relieves each on their day off. */
const ROUND_THE_CLOCK: ReadonlyArray<{ post: string; people: ReadonlyArray<readonly [string, string]> }> = [
  { post: '1号岗', people: [['jhy-gate1', '陈立'], ['jhy-gate2', '王海'], ['jhy-gate3', '李军'], ['jhy-gate4', '赵刚']] },
  { post: '监控中心', people: [['jhy-cctv1', '孙伟'], ['jhy-cctv2', '周斌'], ['jhy-cctv3', '黄磊'], ['jhy-cctv4', '何涛']] },
];
/** Weekday (0 = Monday) each fixed-shift guard has off; the relief takes that shift. */
const OFF_DAY: Record<ShiftCode, number> = { day: 0, swing: 2, night: 3 };

export async function seedRosters(db: Kysely<DB>, companyCodes: readonly string[], now = new Date()): Promise<void> {
  if (!companyCodes.includes('demo-a')) return;
  // The accounts and names below are demo-a's (see seed/demo.ts); other demo companies get no roster yet.
  const company = await db.selectFrom('companies').select('id').where('code', '=', 'demo-a').executeTakeFirst();
  if (!company) return;
  const companyId = company.id;
  if (await db.selectFrom('departments').select('id').where('company_id', '=', companyId).limit(1).executeTakeFirst()) return;
  const communities = await db.selectFrom('communities').select(['id', 'code', 'time_zone']).where('company_id', '=', companyId).where('code', 'in', ['JHY', 'BLW']).execute();
  const jhy = communities.find((c) => c.code === 'JHY');
  const blw = communities.find((c) => c.code === 'BLW');
  if (!jhy) return;
  const role = await db.selectFrom('roles').select('id').where('company_id', '=', companyId).where('builtin_key', '=', 'security').executeTakeFirstOrThrow();

  await db.transaction().execute(async (trx) => {
    // Extra guards: accounts without a password (an administrator sets one from 员工账号 when they need to log in).
    const guards = ROUND_THE_CLOCK.flatMap((p) => p.people);
    const made = await trx
      .insertInto('users')
      .values(guards.map(([username, name]) => ({ company_id: companyId, kind: 'staff' as const, username, display_name: name, password_hash: null })))
      .onConflict((oc) => oc.expression(sql`lower(username)`).where('username', 'is not', null).doNothing())
      .returning('id')
      .execute();
    if (made.length) {
      await trx.insertInto('user_roles').values(made.map((u) => ({ user_id: u.id, role_id: role.id }))).execute();
      await trx.insertInto('user_communities').values(made.map((u) => ({ user_id: u.id, community_id: jhy.id }))).execute();
    }
    const users = await trx.selectFrom('users').select(['id', 'username']).where('company_id', '=', companyId).where('username', 'in', [...guards.map((g) => g[0]), 'jingli', 'weixiu', 'kefu', 'pinzhi', 'baoan', 'baoan2', 'baojie', 'admin']).execute();
    const u = (username: string) => users.find((x) => x.username === username)?.id ?? null;

    const depts = await trx
      .insertInto('departments')
      .values(DEPARTMENTS.map((d) => ({ company_id: companyId, name: d.name, kind: d.kind, head_id: u(d.head) })))
      .returning(['id', 'name'])
      .execute();
    const dept = (name: string) => depts.find((d) => d.name === name)!.id;

    const shifts = await trx
      .insertInto('shifts')
      .values(communities.flatMap((c) => SHIFTS.map((s) => ({ company_id: companyId, community_id: c.id, name: s.name, code: s.code, start_time: s.start, end_time: s.end, color: s.color }))))
      .returning(['id', 'community_id', 'code'])
      .execute();
    const shift = (code: ShiftCode) => shifts.find((s) => s.community_id === jhy.id && s.code === code)!.id;

    const postRows = [
      { name: '1号岗', department: '秩序部', round: true, certs: ['securityGuard'] },
      { name: '监控中心', department: '秩序部', round: true, certs: ['fireFacility'] },
      { name: '巡逻岗', department: '秩序部', round: false, certs: ['securityGuard'] },
      { name: '配电房值班', department: '工程部', round: false, certs: ['electrician'] },
      { name: '保洁一组', department: '保洁部', round: false, certs: ['health'] },
    ];
    const posts = await trx
      .insertInto('posts')
      .values([
        ...postRows.map((p) => ({ company_id: companyId, community_id: jhy.id, department_id: dept(p.department), name: p.name, round_the_clock: p.round, required_certificates: p.certs })),
        ...(blw ? [{ company_id: companyId, community_id: blw.id, department_id: dept('秩序部'), name: '巡逻岗', round_the_clock: false, required_certificates: ['securityGuard'] }] : []),
      ])
      .returning(['id', 'name', 'community_id'])
      .execute();
    const post = (name: string) => posts.find((p) => p.community_id === jhy.id && p.name === name)!.id;
    const members: Array<[string, string | null]> = [
      ...ROUND_THE_CLOCK.flatMap((p) => p.people.map(([username]) => [p.post, u(username)] as [string, string | null])),
      ['巡逻岗', u('baoan')],
      ['巡逻岗', u('baoan2')],
      ['配电房值班', u('weixiu')],
      ['保洁一组', u('baojie')],
    ];
    await trx
      .insertInto('post_members')
      .values(members.filter((m): m is [string, string] => m[1] !== null).map(([p, user_id]) => ({ post_id: post(p), user_id, company_id: companyId })))
      .execute();

    // The roster: last, this and next week.
    const thisMonday = mondayOf(localDate(now, jhy.time_zone));
    const lastMonday = nextDay(thisMonday, -7);
    const nextMonday = nextDay(thisMonday, 7);
    type Entry = { day: string; user: string | null; kind: RosterKind; shift?: ShiftCode; post?: string };
    const entries: Entry[] = [];
    for (const monday of [lastMonday, thisMonday, nextMonday]) {
      for (let i = 0; i < 7; i++) {
        const day = nextDay(monday, i);
        for (const rtc of ROUND_THE_CLOCK) {
          const [relief] = rtc.people.slice(3).map(([username]) => u(username));
          rtc.people.slice(0, 3).forEach(([username], k) => {
            const code = SHIFTS[k].code;
            if (OFF_DAY[code] !== i) return entries.push({ day, user: u(username), kind: 'work', shift: code, post: rtc.post });
            entries.push({ day, user: u(username), kind: 'off' });
            // The deliberate gap: next Thursday the 监控中心 relief is on leave, so its night shift is empty.
            if (monday === nextMonday && rtc.post === '监控中心' && code === 'night') entries.push({ day, user: relief, kind: 'leave' });
            else entries.push({ day, user: relief, kind: 'work', shift: code, post: rtc.post });
          });
        }
        // 吴刚: 巡逻岗 早班, Wednesday off. 冯军: 巡逻岗 中班 Mon–Wed, 夜班 Thu–Sat, Sunday off.
        entries.push(i === 2 ? { day, user: u('baoan'), kind: 'off' } : { day, user: u('baoan'), kind: 'work', shift: 'day', post: '巡逻岗' });
        if (i < 6) entries.push({ day, user: u('baoan2'), kind: 'work', shift: i < 3 ? 'swing' : 'night', post: '巡逻岗' });
        else entries.push({ day, user: u('baoan2'), kind: 'off' });
        if (i < 6) entries.push({ day, user: u('baojie'), kind: 'work', shift: 'day', post: '保洁一组' });
        if (i < 5) entries.push({ day, user: u('weixiu'), kind: 'work', shift: 'day', post: '配电房值班' });
      }
    }
    const author = u('jingli');
    await trx
      .insertInto('roster_entries')
      .values(
        entries
          .filter((e): e is Entry & { user: string } => e.user !== null)
          .map((e) => ({ company_id: companyId, community_id: jhy.id, day: e.day, user_id: e.user, kind: e.kind, shift_id: e.shift ? shift(e.shift) : null, post_id: e.post ? post(e.post) : null, created_by: author })),
      )
      .execute();

    // Certificates: 王海's 保安员证 runs out within 30 days, 赵刚 (the gate relief) has none.
    const today = localDate(now, jhy.time_zone);
    const certs: Array<[string, string, string, string | null, string]> = [
      ['jhy-gate1', 'securityGuard', 'BA32010020210311', nextDay(today, 700), '南京市公安局'],
      ['jhy-gate2', 'securityGuard', 'BA32010020190522', nextDay(today, 21), '南京市公安局'],
      ['jhy-gate3', 'securityGuard', 'BA32010020220805', nextDay(today, 900), '南京市公安局'],
      ['jhy-cctv1', 'fireFacility', 'XF3201002023001187', null, '江苏省消防救援总队'],
      ['jhy-cctv2', 'fireFacility', 'XF3201002022004562', null, '江苏省消防救援总队'],
      ['jhy-cctv3', 'fireFacility', 'XF3201002024000311', null, '江苏省消防救援总队'],
      ['jhy-cctv4', 'fireFacility', 'XF3201002021007820', nextDay(today, 45), '江苏省消防救援总队'],
      ['baoan', 'securityGuard', 'BA32010020200918', nextDay(today, 400), '南京市公安局'],
      ['baoan2', 'securityGuard', 'BA32010020211130', nextDay(today, 520), '南京市公安局'],
      ['weixiu', 'electrician', 'T320102198506120415', nextDay(today, 300), '南京市应急管理局'],
      ['weixiu', 'hvElectrician', 'T320102198506120415G', nextDay(today, -12), '南京市应急管理局'],
      ['baojie', 'health', 'JK2026-031877', nextDay(today, 150), '玄武区疾控中心'],
      ['jingli', 'propertyManager', 'WY-JS-2018-06211', null, '中国物业管理协会'],
    ];
    await trx
      .insertInto('staff_certificates')
      .values(
        certs
          .filter(([username]) => u(username))
          .map(([username, kind, number, expires, issuer]) => ({ company_id: companyId, user_id: u(username)!, kind, number, issuer, expires_on: expires, issued_on: expires ? nextDay(expires, -3 * 365) : '2018-06-01', created_by: u('admin') })),
      )
      .execute();

    // Training this year: the fire drill for all guards, induction for the relief, electrical safety, service manners.
    const year = today.slice(0, 4);
    const allGuards = [...guards.map((g) => g[0]), 'baoan', 'baoan2'];
    const training: Array<[string[], string, TrainingTopic, string, number, string]> = [
      [allGuards, '消防演练与灭火器使用', 'fire', `${year}-03-18`, 20, '市消防支队 王教官'],
      [allGuards, '秩序维护员岗位规范', 'skills', `${year}-05-12`, 15, '刘洋'],
      [['jhy-gate4'], '新员工入职培训', 'induction', `${year}-02-20`, 40, '人事部'],
      [['weixiu'], '高低压配电安全操作规程', 'safety', `${year}-04-08`, 30, '供电公司 张工'],
      [['kefu', 'baojie'], '服务礼仪与投诉处理', 'service', `${year}-06-03`, 15, '刘洋'],
    ];
    const rows = training.flatMap(([people, title, topic, day, tenth, trainer]) =>
      people.filter((p) => u(p) && day <= today).map((p) => ({ company_id: companyId, community_id: jhy.id, user_id: u(p)!, title, topic, day, tenth_hours: tenth, trainer, passed: true, created_by: u('admin') })),
    );
    if (rows.length) await trx.insertInto('training_records').values(rows).execute();
  });
}
