import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { CleaningAreaKind, CleaningFrequency } from '../db/schema-cleaning.ts';
import { generateCleaningTasks } from '../modules/cleaning/generate.ts';
import { localDate } from '../modules/servicedesk/deadlines.ts';
import { nextDay } from '../modules/rosters/onshift.ts';

/**
 * Demo cleaning and greening of 锦华苑 (JHY, company demo-a): eight areas of 保洁一组 with their usual work items,
 * the tasks of the last seven days — mostly done, a few late or missed — and today's, from the roster (钱芳 works
 * 早班 at 保洁一组 Monday to Saturday; Sunday's tasks stay with the team). Tasks come from the real generator; their
 * outcomes are set in one statement. Idempotent: a company that already has areas is left alone.
 */

type ItemSeed = { name: string; frequency: CleaningFrequency; times: string[]; window: number; weekdays?: number[]; monthDay?: number; month?: number; photo?: boolean; standard: string; preset?: string };
type AreaSeed = { name: string; kind: CleaningAreaKind; building?: string; qr?: boolean; items: ItemSeed[] };

const AREAS: AreaSeed[] = [
  {
    name: '1栋大堂', kind: 'cleaning', building: '1栋', qr: true,
    items: [
      { name: '大堂清扫', frequency: 'daily', times: ['08:30'], window: 90, standard: '地面无垃圾、无污渍，门窗玻璃明亮', preset: 'lobbySweep' },
      { name: '大堂拖洗', frequency: 'weekly', times: ['09:00'], window: 180, weekdays: [1], photo: true, standard: '地面光洁无水渍', preset: 'lobbyMop' },
      { name: '电梯轿厢清洁', frequency: 'daily', times: ['10:00'], window: 90, standard: '轿厢四壁、按钮无手印污渍', preset: 'lifts' },
      { name: '楼梯扶手擦拭', frequency: 'weekly', times: ['13:00'], window: 180, weekdays: [2, 5], standard: '扶手无灰尘', preset: 'handrails' },
      { name: '信报箱擦拭', frequency: 'weekly', times: ['14:00'], window: 120, weekdays: [3], standard: '表面无灰尘、无小广告', preset: 'mailboxes' },
    ],
  },
  {
    name: '2栋大堂', kind: 'cleaning', building: '2栋',
    items: [
      { name: '大堂清扫', frequency: 'daily', times: ['09:00'], window: 90, standard: '地面无垃圾、无污渍', preset: 'lobbySweep' },
      { name: '电梯轿厢清洁', frequency: 'daily', times: ['10:30'], window: 90, standard: '轿厢四壁、按钮无手印污渍', preset: 'lifts' },
      { name: '消防栓箱清洁', frequency: 'monthly', times: ['14:00'], window: 480, monthDay: 20, standard: '箱体内外无灰尘', preset: 'hoseBoxes' },
    ],
  },
  {
    name: '中心花园', kind: 'greening',
    items: [
      { name: '绿化浇水', frequency: 'daily', times: ['08:00'], window: 120, standard: '见干见湿，不积水', preset: 'watering' },
      { name: '亭廊清洁', frequency: 'halfMonthly', times: ['13:00'], window: 180, standard: '亭廊座椅无灰尘、无蜘蛛网', preset: 'pavilions' },
      { name: '草坪修剪', frequency: 'halfMonthly', times: ['09:00'], window: 420, photo: true, standard: '草高不超过 8 cm', preset: 'lawn' },
      { name: '乔木修剪', frequency: 'yearly', times: ['08:00'], window: 480, month: 3, monthDay: 15, photo: true, standard: '无枯枝、无安全隐患', preset: 'treePruning' },
    ],
  },
  {
    name: '地下车库', kind: 'cleaning', qr: true,
    items: [
      { name: '车库地面清扫', frequency: 'daily', times: ['11:00'], window: 120, standard: '地面无垃圾、无油污', preset: 'roads' },
      { name: '灯罩清洁', frequency: 'monthly', times: ['13:00'], window: 180, monthDay: 10, standard: '灯罩内无蚊虫、无积尘', preset: 'lightCovers' },
    ],
  },
  {
    name: '垃圾收集点', kind: 'cleaning', qr: true,
    items: [
      { name: '垃圾桶清运', frequency: 'daily', times: ['08:00', '15:00'], window: 60, photo: true, standard: '日产日清，桶身无污渍、周边无散落垃圾', preset: 'bins' },
      { name: '消毒消杀', frequency: 'weekly', times: ['14:00'], window: 60, weekdays: [3, 6], photo: true, standard: '按比例配药，全覆盖并记录', preset: 'disinfection' },
      { name: '四害消杀', frequency: 'monthly', times: ['13:00'], window: 180, monthDay: 15, standard: '投放点位有标识，药饵及时补充', preset: 'pestControl' },
    ],
  },
  {
    name: '游泳池', kind: 'cleaning',
    items: [{ name: '水池清洁', frequency: 'weekly', times: ['09:00'], window: 240, weekdays: [4], photo: true, standard: '池水清澈，池底无沉积物', preset: 'pool' }],
  },
  {
    name: '主干道', kind: 'cleaning',
    items: [{ name: '道路清扫', frequency: 'daily', times: ['08:00', '14:00'], window: 90, standard: '路面无垃圾、无积水', preset: 'roads' }],
  },
  {
    name: '儿童游乐区', kind: 'cleaning',
    items: [
      { name: '游乐设施擦拭', frequency: 'daily', times: ['12:00'], window: 90, standard: '设施表面无灰尘、无污渍' },
      { name: '游乐设施消毒', frequency: 'weekly', times: ['15:00'], window: 60, weekdays: [1, 4], photo: true, standard: '消毒后挂牌记录', preset: 'disinfection' },
    ],
  },
];

export async function seedCleanings(db: Kysely<DB>, companyCodes: readonly string[], now = new Date()): Promise<void> {
  if (!companyCodes.includes('demo-a')) return;
  const company = await db.selectFrom('companies').select('id').where('code', '=', 'demo-a').executeTakeFirst();
  if (!company) return;
  const companyId = company.id;
  const jhy = await db.selectFrom('communities').select(['id', 'time_zone']).where('company_id', '=', companyId).where('code', '=', 'JHY').executeTakeFirst();
  if (!jhy) return;
  if (await db.selectFrom('cleaning_areas').select('id').where('company_id', '=', companyId).limit(1).executeTakeFirst()) return;

  const [post, buildings, baojie] = await Promise.all([
    db.selectFrom('posts').select(['id', 'department_id']).where('community_id', '=', jhy.id).where('name', '=', '保洁一组').executeTakeFirst(),
    db.selectFrom('buildings').select(['id', 'name']).where('community_id', '=', jhy.id).execute(),
    db.selectFrom('users').select('id').where('company_id', '=', companyId).where('username', '=', 'baojie').executeTakeFirst(),
  ]);
  const today = localDate(now, jhy.time_zone);
  // Made a month ago, so the last week's rounds all exist.
  const since = new Date(now.getTime() - 30 * 86_400_000);

  await db.transaction().execute(async (trx) => {
    const areas = await trx
      .insertInto('cleaning_areas')
      .values(
        AREAS.map((a) => ({
          company_id: companyId,
          community_id: jhy.id,
          name: a.name,
          kind: a.kind,
          building_id: buildings.find((b) => b.name === a.building)?.id ?? null,
          department_id: post?.department_id ?? null,
          post_id: post?.id ?? null,
          qr_required: a.qr ?? false,
          created_at: since,
        })),
      )
      .returning(['id', 'name'])
      .execute();
    await trx
      .insertInto('cleaning_items')
      .values(
        AREAS.flatMap((a) =>
          a.items.map((i) => ({
            company_id: companyId,
            community_id: jhy.id,
            area_id: areas.find((x) => x.name === a.name)!.id,
            name: i.name,
            preset: i.preset ?? null,
            frequency: i.frequency,
            times: i.times,
            window_minutes: i.window,
            weekdays: i.weekdays ?? [],
            month_day: i.monthDay ?? null,
            month: i.month ?? null,
            photo_required: i.photo ?? false,
            standard: i.standard,
            created_at: since,
          })),
        ),
      )
      .execute();
    for (let k = 7; k >= 0; k--) await generateCleaningTasks(trx, { day: nextDay(today, -k), communityIds: [jhy.id], now });

    // Outcomes, decided by a hash of the task id: of the rounds whose window has passed, about 6 in 100 missed
    // (still open, i.e. overdue, while late work is possible), 7 in 100 done late, the rest done inside the window.
    await sql`
      WITH t AS (
        SELECT id, abs(hashtext(id::text)) % 100 AS h, starts_at, due_at, closes_at, assignee_id FROM cleaning_tasks
         WHERE company_id = ${companyId} AND community_id = ${jhy.id} AND due_at < ${now})
      UPDATE cleaning_tasks c SET
        status = CASE WHEN t.h < 6 THEN (CASE WHEN t.closes_at < ${now} THEN 'missed' ELSE 'open' END) ELSE 'done' END,
        missed_at = CASE WHEN t.h < 6 AND t.closes_at < ${now} THEN t.closes_at END,
        late = t.h BETWEEN 6 AND 12,
        done_at = CASE WHEN t.h < 6 THEN NULL
                       WHEN t.h <= 12 THEN t.due_at + (t.closes_at - t.due_at) * 0.4
                       ELSE t.starts_at + (t.due_at - t.starts_at) * (0.2 + (t.h % 60) / 100.0) END,
        done_by = CASE WHEN t.h < 6 THEN NULL ELSE coalesce(t.assignee_id, ${baojie?.id ?? null}::uuid) END,
        check_in = CASE WHEN t.h < 6 THEN NULL WHEN c.area_id IN (SELECT id FROM cleaning_areas WHERE qr_required) THEN 'qr' ELSE 'manual' END,
        note = CASE WHEN t.h BETWEEN 6 AND 12 THEN '临时协助搬运，延后完成' WHEN t.h >= 6 AND t.h % 17 = 0 THEN '已完成，无异常' END,
        client_id = CASE WHEN t.h >= 6 THEN 'seed-' || replace(t.id::text, '-', '') END,
        updated_at = ${now}
       FROM t WHERE c.id = t.id`.execute(trx);
  });
}
