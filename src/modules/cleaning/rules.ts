import type { CleaningAreaKind, CleaningFrequency } from '../../db/schema-cleaning.ts';
import { minutesOf, nextDay } from '../rosters/onshift.ts';
import { zonedInstant } from '../servicedesk/deadlines.ts';

/**
 * The rules of cleaning and greening schedules, pure: on which business dates an item falls due, the slots of a
 * date with their windows, what makes a schedule invalid, when a completion is late, who of a team does an area.
 */

export const FREQUENCIES = ['daily', 'weekly', 'halfMonthly', 'monthly', 'yearly'] as const satisfies readonly CleaningFrequency[];

export interface Schedule {
  frequency: CleaningFrequency;
  /** Slot start times 'HH:MM' of each day the item falls due, ascending. */
  times: readonly string[];
  /** How long after a slot's start the work must be done. */
  windowMinutes: number;
  /** ISO weekdays (1 = Monday … 7 = Sunday) of a weekly item. */
  weekdays?: readonly number[];
  /** Day of the month of a monthly or yearly item; a 31 falls on the month's last day in shorter months. */
  monthDay?: number | null;
  /** Month of a yearly item. */
  month?: number | null;
}

/** A task may be started this long before its slot (a cleaner on the round a little early is not refused). */
export const EARLY_MINUTES = 30;

/** After the window closes, work still counts (as late) for this long; then the task is missed. */
export function lateGraceMinutes(windowMinutes: number): number {
  return windowMinutes <= 1440 ? 120 : 1440;
}

const parse = (day: string) => new Date(`${day}T00:00:00Z`);
export const isoWeekday = (day: string) => parse(day).getUTCDay() || 7;
export const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Whether an item of this schedule falls due on business date `day`. */
export function occursOn(s: Schedule, day: string): boolean {
  const d = parse(day);
  const dom = d.getUTCDate();
  const last = daysInMonth(d.getUTCFullYear(), d.getUTCMonth() + 1);
  switch (s.frequency) {
    case 'daily':
      return true;
    case 'weekly':
      return (s.weekdays ?? []).includes(isoWeekday(day));
    case 'halfMonthly':
      return dom === 1 || dom === 16;
    case 'monthly':
      return dom === Math.min(s.monthDay ?? 1, last);
    case 'yearly':
      return d.getUTCMonth() + 1 === (s.month ?? 1) && dom === Math.min(s.monthDay ?? 1, last);
  }
}

export interface Slot {
  slot: number;
  time: string;
  startsAt: Date;
  dueAt: Date;
  closesAt: Date;
}

/** The slots of `day` (none when the item does not fall due), as instants in the community's zone. */
export function slotsOf(s: Schedule, day: string, timeZone: string): Slot[] {
  if (!occursOn(s, day)) return [];
  return s.times.map((time, slot) => {
    const startsAt = zonedInstant(day, time, timeZone);
    const dueAt = new Date(startsAt.getTime() + s.windowMinutes * 60_000);
    return { slot, time, startsAt, dueAt, closesAt: new Date(dueAt.getTime() + lateGraceMinutes(s.windowMinutes) * 60_000) };
  });
}

/** The fewest days from one due date of the schedule to the next. */
export function minDaysBetween(s: Schedule): number {
  switch (s.frequency) {
    case 'daily':
      return 1;
    case 'weekly': {
      const days = [...new Set(s.weekdays ?? [])].sort((a, b) => a - b);
      if (days.length <= 1) return 7;
      return Math.min(...days.map((d, i) => (i + 1 < days.length ? days[i + 1] - d : days[0] + 7 - d)));
    }
    case 'halfMonthly':
      return 13; // 16 February → 1 March
    case 'monthly':
      return 28;
    case 'yearly':
      return 365;
  }
}

export interface ScheduleProblem {
  field: 'times' | 'windowMinutes' | 'weekdays' | 'monthDay' | 'month';
  key: 'validation.required' | 'validation.format' | 'validation.invalid' | 'validation.duplicateIds' | 'validation.modeField' | 'validation.timeOrder';
  params?: Record<string, string | number>;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * What is wrong with a schedule, or null. Slots of one day must not overlap (08:00 and 09:00 with a two-hour window
 * would be one round counted twice), and no window may reach the next due date's first slot.
 */
export function scheduleProblem(s: Schedule): ScheduleProblem | null {
  if (!s.times.length) return { field: 'times', key: 'validation.required' };
  if (s.times.some((t) => !HHMM.test(t))) return { field: 'times', key: 'validation.format' };
  const minutes = s.times.map(minutesOf);
  for (let i = 1; i < minutes.length; i++) {
    if (minutes[i] === minutes[i - 1]) return { field: 'times', key: 'validation.duplicateIds' };
    if (minutes[i] < minutes[i - 1]) return { field: 'times', key: 'validation.timeOrder', params: { after: s.times[i - 1] } };
  }
  if (!Number.isInteger(s.windowMinutes) || s.windowMinutes < 10) return { field: 'windowMinutes', key: 'validation.invalid' };
  const weekdays = s.weekdays ?? [];
  if (s.frequency === 'weekly') {
    if (!weekdays.length) return { field: 'weekdays', key: 'validation.required' };
    if (weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return { field: 'weekdays', key: 'validation.invalid' };
    if (new Set(weekdays).size !== weekdays.length) return { field: 'weekdays', key: 'validation.duplicateIds' };
  } else if (weekdays.length) return { field: 'weekdays', key: 'validation.modeField', params: { mode: s.frequency } };
  const needsDay = s.frequency === 'monthly' || s.frequency === 'yearly';
  if (needsDay && s.monthDay == null) return { field: 'monthDay', key: 'validation.required' };
  if (!needsDay && s.monthDay != null) return { field: 'monthDay', key: 'validation.modeField', params: { mode: s.frequency } };
  if (s.frequency === 'yearly') {
    if (s.month == null) return { field: 'month', key: 'validation.required' };
    if (s.monthDay! > daysInMonth(2024, s.month)) return { field: 'monthDay', key: 'validation.invalid' };
  } else if (s.month != null) return { field: 'month', key: 'validation.modeField', params: { mode: s.frequency } };
  // Slots of one day, then the last slot of a due date against the first of the next.
  for (let i = 1; i < minutes.length; i++) if (minutes[i - 1] + s.windowMinutes > minutes[i]) return { field: 'times', key: 'validation.invalid' };
  const gap = minDaysBetween(s) * 1440 + minutes[0] - minutes[minutes.length - 1];
  if (s.windowMinutes > gap) return { field: 'windowMinutes', key: 'validation.invalid' };
  return null;
}

export type CompletionCheck = { ok: true; late: boolean } | { ok: false; reason: 'early' | 'closed' };

/** Whether work done at `doneAt` completes a task of this window, and whether it is late. */
export function completionCheck(task: { startsAt: Date; dueAt: Date; closesAt: Date }, doneAt: Date): CompletionCheck {
  if (doneAt.getTime() < task.startsAt.getTime() - EARLY_MINUTES * 60_000) return { ok: false, reason: 'early' };
  if (doneAt.getTime() > task.closesAt.getTime()) return { ok: false, reason: 'closed' };
  return { ok: true, late: doneAt.getTime() > task.dueAt.getTime() };
}

/** A shift covering a time of day: 08:00 belongs to 早班 08:00–16:00; 23:00 to a 22:00–06:00 night shift. */
export function shiftAt<T extends { start_time: string; end_time: string }>(shifts: readonly T[], time: string): T | null {
  const m = minutesOf(time);
  return (
    shifts.find((s) => {
      const a = minutesOf(s.start_time.slice(0, 5));
      const b = minutesOf(s.end_time.slice(0, 5));
      return a < b ? m >= a && m < b : m >= a || m < b;
    }) ?? null
  );
}

/**
 * Who of the staff on duty does an area's work: always the same person for the same area and crew (the area id
 * picks one), so one cleaner owns 1栋大堂 for the day and the areas spread over the team.
 */
export function pickAssignee(staff: readonly string[], areaId: string): string | null {
  if (!staff.length) return null;
  let h = 0;
  for (const ch of areaId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return staff[h % staff.length];
}

/** Share in whole percent with one decimal (null when nothing was due). */
export function rate(done: number, total: number): number | null {
  return total ? Math.round((done / total) * 1000) / 10 : null;
}

/** The Monday of the ISO week of `day`. */
export function weekOf(day: string): string {
  return nextDay(day, 1 - isoWeekday(day));
}

export interface Preset {
  key: string;
  kind: CleaningAreaKind;
  zh: string;
  en: string;
  frequency: CleaningFrequency;
  times: string[];
  windowMinutes: number;
  weekdays?: number[];
  monthDay?: number;
  month?: number;
  photoRequired: boolean;
  standardZh: string;
  standardEn: string;
}

/** The usual items of DOMAIN.md §6, offered when adding work to an area (all editable). */
export const PRESETS: readonly Preset[] = [
  { key: 'bins', kind: 'cleaning', zh: '垃圾桶清运', en: 'Empty the bins', frequency: 'daily', times: ['08:00', '15:00'], windowMinutes: 120, photoRequired: true, standardZh: '日产日清，桶身无污渍、周边无散落垃圾', standardEn: 'Cleared the same day; bins clean, nothing spilled around' },
  { key: 'roads', kind: 'cleaning', zh: '道路清扫', en: 'Sweep the roads', frequency: 'daily', times: ['07:00', '14:00'], windowMinutes: 120, photoRequired: false, standardZh: '路面无垃圾、无积水、无杂物', standardEn: 'No litter, puddles or debris on the road' },
  { key: 'lobbySweep', kind: 'cleaning', zh: '大堂清扫', en: 'Sweep the lobby', frequency: 'daily', times: ['08:30'], windowMinutes: 90, photoRequired: false, standardZh: '地面无垃圾、无污渍，门窗玻璃明亮', standardEn: 'Floor free of litter and stains, glass clean' },
  { key: 'lobbyMop', kind: 'cleaning', zh: '大堂拖洗', en: 'Mop the lobby', frequency: 'weekly', times: ['09:00'], windowMinutes: 180, weekdays: [1], photoRequired: true, standardZh: '地面光洁无水渍', standardEn: 'Floor clean and dry' },
  { key: 'lifts', kind: 'cleaning', zh: '电梯轿厢清洁', en: 'Clean the lift cars', frequency: 'daily', times: ['09:30'], windowMinutes: 90, photoRequired: false, standardZh: '轿厢四壁、按钮无手印污渍，地面干净', standardEn: 'Walls and buttons free of marks, floor clean' },
  { key: 'handrails', kind: 'cleaning', zh: '楼梯扶手擦拭', en: 'Wipe the handrails', frequency: 'weekly', times: ['10:00'], windowMinutes: 240, weekdays: [2, 5], photoRequired: false, standardZh: '扶手无灰尘，白毛巾擦拭无明显污迹', standardEn: 'No dust; a white cloth shows no dirt' },
  { key: 'mailboxes', kind: 'cleaning', zh: '信报箱擦拭', en: 'Wipe the mailboxes', frequency: 'weekly', times: ['10:00'], windowMinutes: 240, weekdays: [3], photoRequired: false, standardZh: '表面无灰尘、无小广告', standardEn: 'No dust, no flyers' },
  { key: 'lightCovers', kind: 'cleaning', zh: '灯罩清洁', en: 'Clean the light covers', frequency: 'monthly', times: ['09:00'], windowMinutes: 480, monthDay: 10, photoRequired: true, standardZh: '灯罩内无蚊虫、无积尘', standardEn: 'No insects or dust inside' },
  { key: 'hoseBoxes', kind: 'cleaning', zh: '消防栓箱清洁', en: 'Clean the hose boxes', frequency: 'monthly', times: ['09:00'], windowMinutes: 480, monthDay: 20, photoRequired: false, standardZh: '箱体内外无灰尘、无杂物', standardEn: 'Box clean inside and out, nothing stored in it' },
  { key: 'pavilions', kind: 'cleaning', zh: '亭廊清洁', en: 'Clean the pavilions', frequency: 'halfMonthly', times: ['09:00'], windowMinutes: 480, photoRequired: false, standardZh: '亭廊座椅无灰尘、无蜘蛛网', standardEn: 'Seats free of dust and cobwebs' },
  { key: 'pool', kind: 'cleaning', zh: '水池清洁', en: 'Clean the pool', frequency: 'weekly', times: ['08:00'], windowMinutes: 480, weekdays: [4], photoRequired: true, standardZh: '池水清澈，池底无沉积物', standardEn: 'Water clear, nothing settled on the bottom' },
  { key: 'disinfection', kind: 'cleaning', zh: '消毒消杀', en: 'Disinfection', frequency: 'weekly', times: ['14:00'], windowMinutes: 240, weekdays: [3], photoRequired: true, standardZh: '按比例配药，垃圾点、电梯、大堂全覆盖并记录', standardEn: 'Mixed to ratio; bins, lifts and lobbies covered and recorded' },
  { key: 'pestControl', kind: 'cleaning', zh: '灭鼠除虫（四害消杀）', en: 'Pest control', frequency: 'monthly', times: ['14:00'], windowMinutes: 480, monthDay: 15, photoRequired: true, standardZh: '投放点位有标识，药饵及时补充', standardEn: 'Bait points marked and refilled' },
  { key: 'lawn', kind: 'greening', zh: '草坪修剪', en: 'Mow the lawns', frequency: 'halfMonthly', times: ['08:00'], windowMinutes: 480, photoRequired: true, standardZh: '草高不超过 8 cm，边缘整齐', standardEn: 'Grass under 8 cm, edges trimmed' },
  { key: 'watering', kind: 'greening', zh: '绿化浇水', en: 'Water the plants', frequency: 'daily', times: ['07:00'], windowMinutes: 120, photoRequired: false, standardZh: '见干见湿，不积水', standardEn: 'Watered when dry, no standing water' },
  { key: 'treePruning', kind: 'greening', zh: '乔木修剪', en: 'Prune the trees', frequency: 'yearly', times: ['08:00'], windowMinutes: 600, monthDay: 15, month: 3, photoRequired: true, standardZh: '树冠整齐，无枯枝、无安全隐患', standardEn: 'Crowns tidy, no dead or dangerous branches' },
];
