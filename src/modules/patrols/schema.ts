import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

/** Request and response schemas of patrols and inspections (巡更/巡检). No server imports: the web app uses them too. */

export const PATROL_KINDS = ['patrol', 'inspection'] as const;
export const ANSWER_KINDS = ['yesNo', 'number', 'text'] as const;
export const FREQUENCIES = ['rounds', 'interval', 'fixed'] as const;
export const TASK_STATUSES = ['open', 'done', 'partial', 'missed'] as const;
export const POINT_STATUSES = ['pending', 'done', 'missed'] as const;

const date = z.iso.date();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const name = z.string().trim().min(1).max(60);

// ── Checkpoints and their checklists ──────────────────────────────────────────────────────────────────────────
export const checklistItemInput = z.strictObject({
  label: name,
  answerKind: z.enum(ANSWER_KINDS),
  /** yesNo: the normal answer (true = 是); a different answer is abnormal. */
  normalYes: z.boolean().nullable().optional(),
  /** number: the normal range, either end optional. */
  minValue: z.number().finite().nullable().optional(),
  maxValue: z.number().finite().nullable().optional(),
  unit: z.string().trim().max(10).nullable().optional(),
  required: z.boolean().default(true),
});
export type ChecklistItemInput = z.infer<typeof checklistItemInput>;

export const checkpointBody = z.strictObject({
  communityId: z.uuid(),
  name,
  location: z.string().trim().max(200).default(''),
  buildingId: z.uuid().nullable().optional(),
  kind: z.enum(PATROL_KINDS),
  checklist: z.array(checklistItemInput).max(30).default([]),
});
export type CheckpointInput = z.infer<typeof checkpointBody>;

export const checkpointPatch = z.strictObject({
  name: name.optional(),
  location: z.string().trim().max(200).optional(),
  buildingId: z.uuid().nullable().optional(),
  active: z.boolean().optional(),
  /** The whole checklist, replacing the current one. */
  checklist: z.array(checklistItemInput).max(30).optional(),
});
export type CheckpointPatch = z.infer<typeof checkpointPatch>;

export const checklistItem = z.object({
  id: z.string(),
  label: z.string(),
  answerKind: z.enum(ANSWER_KINDS),
  normalYes: z.boolean().nullable(),
  minValue: z.number().nullable(),
  maxValue: z.number().nullable(),
  unit: z.string().nullable(),
  required: z.boolean(),
});
export type ChecklistItem = z.infer<typeof checklistItem>;

export const checkpoint = z.object({
  id: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  no: z.number().int(),
  name: z.string(),
  location: z.string(),
  buildingId: z.string().nullable(),
  buildingName: z.string().nullable(),
  kind: z.enum(PATROL_KINDS),
  active: z.boolean(),
  checklist: z.array(checklistItem),
});
export type Checkpoint = z.infer<typeof checkpoint>;

export const checkpointQuery = z.object({ communityId: z.uuid(), kind: z.enum(PATROL_KINDS).optional(), active: z.enum(['true', 'false']).optional() });

export const labelQuery = z.object({ format: z.enum(['png', 'svg']).default('png') });
export const labelsQuery = z.object({ communityId: z.uuid(), ids: z.string().max(4000).optional() });
export const checkpointCode = z.object({ code: z.string(), url: z.string() });

// ── Routes ────────────────────────────────────────────────────────────────────────────────────────────────────
export const routeBody = z.strictObject({
  communityId: z.uuid(),
  name,
  kind: z.enum(PATROL_KINDS),
  minutesPerPoint: z.number().int().min(1).max(240).nullable().optional(),
  /** The checkpoints in walking order. */
  checkpointIds: z.array(z.uuid()).min(1).max(100),
});
export const routePatch = z.strictObject({
  name: name.optional(),
  minutesPerPoint: z.number().int().min(1).max(240).nullable().optional(),
  checkpointIds: z.array(z.uuid()).min(1).max(100).optional(),
  active: z.boolean().optional(),
});
export type RouteInput = z.infer<typeof routeBody>;
export type RoutePatch = z.infer<typeof routePatch>;

export const route = z.object({
  id: z.string(),
  communityId: z.string(),
  name: z.string(),
  kind: z.enum(PATROL_KINDS),
  minutesPerPoint: z.number().int().nullable(),
  active: z.boolean(),
  points: z.array(z.object({ checkpointId: z.string(), no: z.number().int(), name: z.string() })),
});
export type Route = z.infer<typeof route>;
export const communityQuery = z.object({ communityId: z.uuid() });

// ── Plans ─────────────────────────────────────────────────────────────────────────────────────────────────────
const planFields = {
  name,
  routeId: z.uuid(),
  shiftId: z.uuid(),
  postId: z.uuid().nullable().optional(),
  frequency: z.enum(FREQUENCIES),
  /** rounds: N rounds spread over the shift. */
  rounds: z.number().int().min(1).max(96).nullable().optional(),
  /** interval: a round every N minutes (60 = hourly). */
  intervalMinutes: z.number().int().min(10).max(1440).nullable().optional(),
  /** fixed: a round at each of these times (HH:MM). */
  fixedTimes: z.array(hhmm).max(48).optional(),
  /** Each round's window; for rounds and interval plans it defaults to the whole slot. */
  windowMinutes: z.number().int().min(5).max(1440).nullable().optional(),
  validFrom: date,
  validTo: date.nullable().optional(),
  supervisorId: z.uuid().nullable().optional(),
};
export const planBody = z.strictObject({ communityId: z.uuid(), ...planFields, peoplePerRound: z.number().int().min(1).max(10).default(1) });
export type PlanInput = z.infer<typeof planBody>;
export const planPatch = z.strictObject({ ...planFields, peoplePerRound: z.number().int().min(1).max(10) }).partial().extend({ active: z.boolean().optional() });
export type PlanPatch = z.infer<typeof planPatch>;

export const roundWindow = z.object({ round: z.number().int(), start: z.string(), end: z.string(), nextDay: z.boolean() });
export const plan = z.object({
  id: z.string(),
  communityId: z.string(),
  name: z.string(),
  routeId: z.string(),
  routeName: z.string(),
  shiftId: z.string(),
  shiftName: z.string(),
  postId: z.string().nullable(),
  postName: z.string().nullable(),
  frequency: z.enum(FREQUENCIES),
  rounds: z.number().int().nullable(),
  intervalMinutes: z.number().int().nullable(),
  fixedTimes: z.array(z.string()),
  windowMinutes: z.number().int().nullable(),
  peoplePerRound: z.number().int(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  supervisorId: z.string().nullable(),
  supervisorName: z.string().nullable(),
  active: z.boolean(),
  windows: z.array(roundWindow),
});
export type Plan = z.infer<typeof plan>;
export const planPreview = z.object({ windows: z.array(roundWindow), shift: z.object({ start: z.string(), end: z.string() }) });

export const setupOptions = z.object({
  shifts: z.array(z.object({ id: z.string(), name: z.string(), start: z.string(), end: z.string() })),
  posts: z.array(z.object({ id: z.string(), name: z.string() })),
  supervisors: z.array(z.object({ id: z.string(), name: z.string() })),
  buildings: z.array(z.object({ id: z.string(), name: z.string() })),
});

// ── Tasks ─────────────────────────────────────────────────────────────────────────────────────────────────────
export const taskPoint = z.object({
  id: z.string(),
  position: z.number().int(),
  checkpointId: z.string(),
  checkpointNo: z.number().int(),
  name: z.string(),
  location: z.string(),
  status: z.enum(POINT_STATUSES),
  doneAt: z.string().nullable(),
  checkinId: z.string().nullable(),
  abnormal: z.boolean(),
  ticketId: z.string().nullable(),
});
export const task = z.object({
  id: z.string(),
  communityId: z.string(),
  planId: z.string(),
  planName: z.string(),
  routeName: z.string(),
  kind: z.enum(PATROL_KINDS),
  shiftName: z.string(),
  day: z.string(),
  round: z.number().int(),
  windowStart: z.string(),
  windowEnd: z.string(),
  assignees: z.array(z.object({ id: z.string(), name: z.string() })),
  flag: z.enum(['unassigned', 'understaffed']).nullable(),
  status: z.enum(TASK_STATUSES),
  pointsTotal: z.number().int(),
  pointsDone: z.number().int(),
  pointsMissed: z.number().int(),
  points: z.array(taskPoint),
});
export type Task = z.infer<typeof task>;
export const taskQuery = z.object({ communityId: z.uuid(), day: date.optional(), planId: z.uuid().optional(), status: z.enum(TASK_STATUSES).optional() });
export const generateBody = z.strictObject({ communityId: z.uuid(), day: date });
export const generateResult = z.object({ day: z.string(), tasks: z.number().int(), created: z.number().int() });

/** The caller's tasks around now, with every checklist their points need, so the phone can work offline. */
export const myTasks = z.object({
  now: z.string(),
  tasks: z.array(task),
  checkpoints: z.array(checkpoint),
});
export type MyTasks = z.infer<typeof myTasks>;

// ── Check-ins ─────────────────────────────────────────────────────────────────────────────────────────────────
export const answerInput = z.strictObject({ itemId: z.uuid(), value: z.union([z.boolean(), z.number().finite(), z.string().max(200)]).nullable() });
export const checkinBody = z.strictObject({
  code: z.string().trim().min(1).max(200),
  /** The device's time of the scan: the check-in is judged by it, however late it syncs. */
  scannedAt: z.iso.datetime({ offset: true }),
  /** The device's id for this check-in: a replay with the same id returns the first result. */
  clientId: z.uuid(),
  answers: z.array(answerInput).max(30).default([]),
  photoIds: z.array(z.uuid()).max(9).default([]),
  note: z.string().trim().max(500).optional(),
});
export type CheckinInput = z.infer<typeof checkinBody>;

export const checkin = z.object({
  id: z.string(),
  clientId: z.string(),
  communityId: z.string(),
  checkpointId: z.string(),
  checkpointName: z.string(),
  checkpointNo: z.number().int(),
  userId: z.string(),
  userName: z.string(),
  taskId: z.string().nullable(),
  routeName: z.string().nullable(),
  scannedAt: z.string(),
  receivedAt: z.string(),
  answers: z.array(z.object({ itemId: z.string(), label: z.string(), value: z.union([z.boolean(), z.number(), z.string()]).nullable(), abnormal: z.boolean() })),
  abnormal: z.boolean(),
  note: z.string().nullable(),
  photoIds: z.array(z.string()),
  ticket: z.object({ id: z.string(), no: z.string(), status: z.string() }).nullable(),
});
export type Checkin = z.infer<typeof checkin>;
export const checkinQuery = pageQuery.extend({
  communityId: z.uuid(),
  from: date.optional(),
  to: date.optional(),
  abnormal: z.enum(['true', 'false']).optional(),
  checkpointId: z.uuid().optional(),
});

export const scanResult = z.object({
  checkpoint,
  /** The caller's open point for this checkpoint now, if any. */
  point: z.object({ taskId: z.string(), taskPointId: z.string(), routeName: z.string(), round: z.number().int(), windowStart: z.string(), windowEnd: z.string() }).nullable(),
});
export const codeParams = z.object({ code: z.string().min(1).max(200) });

// ── Figures ───────────────────────────────────────────────────────────────────────────────────────────────────
export const figuresQuery = z.object({ communityId: z.uuid(), from: date, to: date });
const figureRow = z.object({ key: z.string(), label: z.string(), total: z.number().int(), done: z.number().int(), missed: z.number().int(), rate: z.number() });
export const figures = z.object({
  from: z.string(),
  to: z.string(),
  total: figureRow,
  byDay: z.array(figureRow),
  byRoute: z.array(figureRow),
  byShift: z.array(figureRow),
  byPerson: z.array(figureRow),
  abnormal: z.number().int(),
});
export type Figures = z.infer<typeof figures>;
