import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import pino from 'pino';
import type { DB } from '../db/schema.ts';
import type { Permission } from '../core/permissions.ts';
import { signCode } from '../core/signed-codes.ts';
import { localDate, zonedInstant } from '../modules/servicedesk/deadlines.ts';
import { nextDay } from '../modules/rosters/onshift.ts';
import { outboxProvider } from '../modules/sms/provider.ts';
import { generatePatrolTasks } from '../modules/patrols/generate.ts';
import { recountTasks, sweepMissedPoints } from '../modules/patrols/progress.ts';
import { createCheckin } from '../modules/patrols/checkin.ts';

/**
 * Demo patrols of 锦华园 (JHY, company demo-a): checkpoints around the estate and in its plant rooms (with checklists),
 * a grounds route walked 3 rounds on the day and evening shifts and 4 at night by two guards, an in-building route
 * twice a day, the plant-room inspection twice a day (配电房 5–35 ℃, 消防栓压力, 污水泵), all supervised by 刘洋
 * (jingli). Tasks of yesterday, today and tomorrow from the roster seeded before; windows already over are walked —
 * except a few points left unvisited and rounds nobody was rostered for, which the sweep marks missed and reports
 * to jingli — and the latest plant-room check found the power room too hot, which made a patrol ticket. Idempotent: a company with checkpoints is left.
 */

type Item = { label: string; answerKind: 'yesNo' | 'number' | 'text'; normalYes?: boolean; min?: number; max?: number; unit?: string };
const CHECKPOINTS: Array<{ name: string; location: string; kind: 'patrol' | 'inspection'; building?: string; checklist?: Item[] }> = [
  { name: '大门岗', location: '南大门', kind: 'patrol' },
  { name: '1栋大堂', location: '1栋一层', kind: 'patrol', building: '1栋' },
  { name: '2栋大堂', location: '2栋一层', kind: 'patrol', building: '2栋' },
  { name: '3栋大堂', location: '3栋一层', kind: 'patrol', building: '3栋' },
  { name: '地下车库入口', location: 'B1 坡道口', kind: 'patrol', checklist: [{ label: '消防通道畅通', answerKind: 'yesNo' }, { label: '照明正常', answerKind: 'yesNo' }] },
  { name: '西侧围墙', location: '西区围墙中段', kind: 'patrol' },
  { name: '儿童游乐区', location: '中心花园', kind: 'patrol', checklist: [{ label: '设施完好无松动', answerKind: 'yesNo' }] },
  { name: '北门', location: '北侧人行门', kind: 'patrol' },
  { name: '垃圾中转站', location: '东北角', kind: 'patrol' },
  {
    name: '配电房',
    location: '地下一层 B1-03',
    kind: 'inspection',
    checklist: [
      { label: '配电房温度', answerKind: 'number', min: 5, max: 35, unit: '℃' },
      { label: '设备运行无异响', answerKind: 'yesNo' },
      { label: '绝缘垫、灭火器齐全', answerKind: 'yesNo' },
    ],
  },
  {
    name: '消防泵房',
    location: '地下一层 B1-05',
    kind: 'inspection',
    checklist: [
      { label: '消防栓压力正常', answerKind: 'yesNo' },
      { label: '管网压力', answerKind: 'number', min: 0.3, max: 0.7, unit: 'MPa' },
    ],
  },
  { name: '污水泵房', location: '地下二层', kind: 'inspection', checklist: [{ label: '水位正常', answerKind: 'yesNo' }, { label: '水泵运行正常', answerKind: 'yesNo' }, { label: '备注', answerKind: 'text' }] },
];

const ROUTES = [
  { name: '室外巡逻路线', kind: 'patrol' as const, minutesPerPoint: 5, points: ['大门岗', '西侧围墙', '儿童游乐区', '地下车库入口', '北门', '垃圾中转站'] },
  { name: '楼内巡查路线', kind: 'patrol' as const, minutesPerPoint: 8, points: ['1栋大堂', '2栋大堂', '3栋大堂'] },
  { name: '设备房巡检', kind: 'inspection' as const, minutesPerPoint: 10, points: ['配电房', '消防泵房', '污水泵房'] },
];

export async function seedPatrols(db: Kysely<DB>, companyCodes: readonly string[], now = new Date()): Promise<void> {
  if (!companyCodes.includes('demo-a')) return;
  const company = await db.selectFrom('companies').select('id').where('code', '=', 'demo-a').executeTakeFirst();
  if (!company) return;
  const companyId = company.id;
  if (await db.selectFrom('patrol_checkpoints').select('id').where('company_id', '=', companyId).limit(1).executeTakeFirst()) return;
  const jhy = await db.selectFrom('communities').select(['id', 'time_zone']).where('company_id', '=', companyId).where('code', '=', 'JHY').executeTakeFirst();
  if (!jhy) return;
  const users = await db.selectFrom('users').select(['id', 'username', 'display_name']).where('company_id', '=', companyId).where('username', 'in', ['jingli', 'baoan', 'weixiu']).execute();
  const user = (name: string) => users.find((u) => u.username === name);
  const buildings = await db.selectFrom('buildings').select(['id', 'name']).where('community_id', '=', jhy.id).execute();
  const shifts = await db.selectFrom('shifts').select(['id', 'code']).where('community_id', '=', jhy.id).execute();
  const posts = await db.selectFrom('posts').select(['id', 'name']).where('community_id', '=', jhy.id).execute();
  const shift = (code: string) => shifts.find((s) => s.code === code)?.id;
  const post = (name: string) => posts.find((p) => p.name === name)?.id ?? null;
  const today = localDate(now, jhy.time_zone);

  const routeIds = await db.transaction().execute(async (trx) => {
    const cps = await trx
      .insertInto('patrol_checkpoints')
      .values(CHECKPOINTS.map((c, i) => ({ company_id: companyId, community_id: jhy.id, no: i + 1, name: c.name, location: c.location, kind: c.kind, building_id: buildings.find((b) => b.name === c.building)?.id ?? null })))
      .returning(['id', 'name'])
      .execute();
    const cp = (name: string) => cps.find((c) => c.name === name)!.id;
    const items = CHECKPOINTS.flatMap((c) =>
      (c.checklist ?? []).map((item, i) => ({
        company_id: companyId,
        checkpoint_id: cp(c.name),
        position: i + 1,
        label: item.label,
        answer_kind: item.answerKind,
        normal_yes: item.answerKind === 'yesNo' ? (item.normalYes ?? true) : null,
        min_value: item.min ?? null,
        max_value: item.max ?? null,
        unit: item.unit ?? null,
        required: item.answerKind !== 'text',
      })),
    );
    await trx.insertInto('patrol_checklist_items').values(items).execute();
    const routes = await trx
      .insertInto('patrol_routes')
      .values(ROUTES.map((r) => ({ company_id: companyId, community_id: jhy.id, name: r.name, kind: r.kind, minutes_per_point: r.minutesPerPoint })))
      .returning(['id', 'name'])
      .execute();
    const routeId = (name: string) => routes.find((r) => r.name === name)!.id;
    await trx
      .insertInto('patrol_route_points')
      .values(ROUTES.flatMap((r) => r.points.map((p, i) => ({ route_id: routeId(r.name), position: i + 1, checkpoint_id: cp(p), company_id: companyId }))))
      .execute();
    return { grounds: routeId('室外巡逻路线'), building: routeId('楼内巡查路线'), plant: routeId('设备房巡检') };
  });
  // Labels signed now, so the key exists before anyone prints.
  await signCode(db, companyId, 'cp', routeIds.grounds);

  const [day, swing, night] = [shift('day'), shift('swing'), shift('night')];
  if (!day || !swing || !night) return; // no roster seeded: checkpoints and routes only
  const base = { company_id: companyId, community_id: jhy.id, valid_from: nextDay(today, -7), supervisor_id: user('jingli')?.id ?? null, created_by: user('jingli')?.id ?? null };
  await db
    .insertInto('patrol_plans')
    .values([
      { ...base, name: '室外巡逻·早班', route_id: routeIds.grounds, shift_id: day, post_id: post('巡逻岗'), frequency: 'rounds', rounds: 3, window_minutes: 60 },
      // Evenings and nights: whoever the roster puts on the shift walks in turn (gate, monitoring and patrol guards),
      // two together at night.
      { ...base, name: '室外巡逻·中班', route_id: routeIds.grounds, shift_id: swing, post_id: null, frequency: 'rounds', rounds: 3, window_minutes: 60 },
      { ...base, name: '室外巡逻·夜班', route_id: routeIds.grounds, shift_id: night, post_id: null, frequency: 'rounds', rounds: 4, window_minutes: 60, people_per_round: 2 },
      { ...base, name: '楼内巡查', route_id: routeIds.building, shift_id: day, post_id: post('巡逻岗'), frequency: 'fixed', fixed_times: ['10:00', '15:00'], window_minutes: 45 },
      { ...base, name: '设备房巡检', route_id: routeIds.plant, shift_id: day, post_id: post('配电房值班'), frequency: 'fixed', fixed_times: ['09:00', '14:00'], window_minutes: 60 },
    ])
    .execute();

  const yesterday = nextDay(today, -1);
  for (const d of [yesterday, today, nextDay(today)]) {
    await generatePatrolTasks(db, { day: d, communityIds: [jhy.id], now: zonedInstant(d, '00:00', jhy.time_zone) });
  }
  await walkFinishedRounds(db, companyId, jhy.id, [yesterday, today], now);
}

/**
 * Check-ins for the rounds whose windows are over: every point of an assigned task, except the 4th point of each
 * second round and the whole third night round of yesterday (the sweep reports them); one plant-room check through
 * the real service, with the power room at 38 ℃, so its ticket is made as a guard's phone would make it.
 */
async function walkFinishedRounds(db: Kysely<DB>, companyId: string, communityId: string, days: string[], now: Date) {
  const points = await db
    .selectFrom('patrol_task_points as tp')
    .innerJoin('patrol_tasks as t', 't.id', 'tp.task_id')
    .innerJoin('patrol_plans as p', 'p.id', 't.plan_id')
    .select(['tp.id', 'tp.task_id', 'tp.position', 'tp.checkpoint_id', 't.day', 't.round', 't.window_start', 't.window_end', 't.assignee_ids', 'p.name as plan_name'])
    .where('t.community_id', '=', communityId)
    .where('t.day', 'in', days)
    .where('t.window_end', '<=', now)
    .orderBy('t.window_start')
    .orderBy('tp.position')
    .execute();
  const items = await db
    .selectFrom('patrol_checklist_items')
    .selectAll()
    .where('checkpoint_id', 'in', [...new Set(points.map((p) => p.checkpoint_id)), '00000000-0000-0000-0000-000000000000'])
    .orderBy('position')
    .execute();
  const normalAnswers = (checkpointId: string) =>
    items
      .filter((i) => i.checkpoint_id === checkpointId)
      .map((i) => ({
        itemId: i.id,
        label: i.label,
        value: i.answer_kind === 'yesNo' ? (i.normal_yes ?? true) : i.answer_kind === 'number' ? Math.round((((i.min_value ?? 0) + (i.max_value ?? 10)) / 2) * 10) / 10 : '正常',
        abnormal: false,
      }));
  const plantRoom = points.filter((p) => p.plan_name === '设备房巡检' && p.position === 1 && p.assignee_ids.length > 0).at(-1);
  const skipped = (p: (typeof points)[number]) => p.assignee_ids.length === 0 || (p.round === 2 && p.position === 4) || (p.plan_name === '室外巡逻·夜班' && p.round === 3 && p.day === days[0]) || p.id === plantRoom?.id;
  const rows = points
    .filter((p) => !skipped(p))
    .map((p) => ({
      id: randomUUID(),
      company_id: companyId,
      community_id: communityId,
      client_id: randomUUID(),
      user_id: p.assignee_ids[0],
      checkpoint_id: p.checkpoint_id,
      task_point_id: p.id,
      task_id: p.task_id,
      scanned_at: new Date(p.window_start.getTime() + (p.position * 6 + 2) * 60_000),
      received_at: new Date(p.window_start.getTime() + (p.position * 6 + 2) * 60_000 + 4000),
      answers: JSON.stringify(normalAnswers(p.checkpoint_id)),
    }));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('patrol_checkins').values(rows.slice(i, i + 500)).execute();
    if (rows.length) {
      await trx
        .updateTable('patrol_task_points as tp')
        .from('patrol_checkins as c')
        .set((eb) => ({ status: 'done', checkin_id: eb.ref('c.id'), done_at: eb.ref('c.scanned_at') }))
        .whereRef('c.task_point_id', '=', 'tp.id')
        .where('c.company_id', '=', companyId)
        .where('tp.status', '=', 'pending')
        .execute();
    }
    await recountTasks(trx, [...new Set(points.map((p) => p.task_id))]);
  });

  if (plantRoom) {
    const userId = plantRoom.assignee_ids[0];
    const u = await db.selectFrom('users').select(['username', 'display_name']).where('id', '=', userId).executeTakeFirstOrThrow();
    const permissions = new Set<Permission>(['patrol.checkin', 'file.upload']);
    const ctx = { actor: { userId, sessionId: 'seed', kind: 'staff' as const, companyId, username: u.username, displayName: u.display_name, permissions, communityIds: 'all' as const }, requestId: 'seed', ip: '127.0.0.1', lang: 'zh-CN' as const };
    const answers = normalAnswers(plantRoom.checkpoint_id).map((a) => ({ itemId: a.itemId, value: a.label === '配电房温度' ? 38 : a.value }));
    await createCheckin({ db, sms: outboxProvider, log: pino({ level: 'silent' }) }, ctx, {
      code: await signCode(db, companyId, 'cp', plantRoom.checkpoint_id),
      scannedAt: new Date(plantRoom.window_start.getTime() + 8 * 60_000).toISOString(),
      clientId: randomUUID(),
      answers,
      photoIds: [],
      note: '配电房温度偏高，空调未开',
    });
  }
  await sweepMissedPoints(db, now);
}
