import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

/**
 * Request and response schemas of cleaning and greening (保洁/绿化): areas, their work items with a frequency,
 * the tasks generated from them, completion from the phone, and the completion figures. No server imports.
 */

export const AREA_KINDS = ['cleaning', 'greening'] as const;
export const FREQUENCY_VALUES = ['daily', 'weekly', 'halfMonthly', 'monthly', 'yearly'] as const;
export const TASK_STATUSES = ['open', 'done', 'missed'] as const;
/** What a task looks like on the board: open, overdue (window passed, still doable), done, done late, missed. */
export const TASK_STATES = ['open', 'overdue', 'done', 'late', 'missed'] as const;
export type TaskState = (typeof TASK_STATES)[number];

const date = z.iso.date();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const name = z.string().trim().min(1).max(60);

export const presetSchema = z.object({
  key: z.string(),
  kind: z.enum(AREA_KINDS),
  name: z.string(),
  frequency: z.enum(FREQUENCY_VALUES),
  times: z.array(z.string()),
  windowMinutes: z.number().int(),
  weekdays: z.array(z.number().int()),
  monthDay: z.number().int().nullable(),
  month: z.number().int().nullable(),
  photoRequired: z.boolean(),
  standard: z.string(),
});
export type CleaningPreset = z.infer<typeof presetSchema>;

// ── Areas ─────────────────────────────────────────────────────────────────────────────────────────────────────
export const areaQuery = z.object({
  communityId: z.uuid().optional(),
  kind: z.enum(AREA_KINDS).optional(),
  includeInactive: z.enum(['true', 'false']).optional(),
});

export const createAreaBody = z.strictObject({
  communityId: z.uuid(),
  name,
  kind: z.enum(AREA_KINDS),
  buildingId: z.uuid().nullish(),
  zoneId: z.uuid().nullish(),
  departmentId: z.uuid().nullish(),
  postId: z.uuid().nullish(),
  qrRequired: z.boolean().optional(),
  note: z.string().trim().max(500).nullish(),
});
export type CreateAreaInput = z.infer<typeof createAreaBody>;

export const updateAreaBody = createAreaBody.omit({ communityId: true }).partial().extend({ active: z.boolean().optional() }).strict();
export type UpdateAreaInput = z.infer<typeof updateAreaBody>;

const ref = z.object({ id: z.string(), name: z.string() }).nullable();

export const areaSchema = z.object({
  id: z.string(),
  communityId: z.string(),
  name: z.string(),
  kind: z.enum(AREA_KINDS),
  building: ref,
  zone: ref,
  department: ref,
  post: ref,
  qrRequired: z.boolean(),
  note: z.string().nullable(),
  active: z.boolean(),
  itemCount: z.number().int(),
});
export type CleaningArea = z.infer<typeof areaSchema>;

// ── Work items ────────────────────────────────────────────────────────────────────────────────────────────────
const scheduleFields = {
  frequency: z.enum(FREQUENCY_VALUES),
  /** Slot start times of each due date, ascending: bins ['08:00', '15:00']. */
  times: z.array(hhmm).max(24),
  /** Minutes allowed from a slot's start (10 minutes to 31 days). */
  windowMinutes: z.number().int().min(10).max(44640),
  weekdays: z.array(z.number().int().min(1).max(7)).max(7).optional(),
  monthDay: z.number().int().min(1).max(31).nullish(),
  month: z.number().int().min(1).max(12).nullish(),
};

export const createItemBody = z.strictObject({
  areaId: z.uuid(),
  name,
  preset: z.string().max(40).nullish(),
  ...scheduleFields,
  shiftId: z.uuid().nullish(),
  photoRequired: z.boolean().optional(),
  standard: z.string().trim().max(200).nullish(),
});
export type CreateItemInput = z.infer<typeof createItemBody>;

export const updateItemBody = createItemBody.omit({ areaId: true, preset: true }).partial().extend({ active: z.boolean().optional() }).strict();
export type UpdateItemInput = z.infer<typeof updateItemBody>;

export const itemSchema = z.object({
  id: z.string(),
  areaId: z.string(),
  name: z.string(),
  preset: z.string().nullable(),
  frequency: z.enum(FREQUENCY_VALUES),
  times: z.array(z.string()),
  windowMinutes: z.number().int(),
  weekdays: z.array(z.number().int()),
  monthDay: z.number().int().nullable(),
  month: z.number().int().nullable(),
  shift: ref,
  photoRequired: z.boolean(),
  standard: z.string().nullable(),
  active: z.boolean(),
});
export type CleaningItem = z.infer<typeof itemSchema>;

export const areaDetail = areaSchema.extend({ items: z.array(itemSchema) });
export type CleaningAreaDetail = z.infer<typeof areaDetail>;

export const areaCode = z.object({ code: z.string(), dataUrl: z.string() });

// ── Tasks ─────────────────────────────────────────────────────────────────────────────────────────────────────
export const taskSchema = z.object({
  id: z.string(),
  communityId: z.string(),
  day: z.string(),
  slot: z.number().int(),
  area: z.object({ id: z.string(), name: z.string(), kind: z.enum(AREA_KINDS), qrRequired: z.boolean() }),
  item: z.object({ id: z.string(), name: z.string(), standard: z.string().nullable() }),
  startsAt: z.string(),
  dueAt: z.string(),
  closesAt: z.string(),
  shift: ref,
  post: ref,
  department: ref,
  assignee: ref,
  photoRequired: z.boolean(),
  status: z.enum(TASK_STATUSES),
  state: z.enum(TASK_STATES),
  late: z.boolean(),
  doneAt: z.string().nullable(),
  doneBy: ref,
  checkIn: z.enum(['qr', 'manual']).nullable(),
  note: z.string().nullable(),
  photoIds: z.array(z.string()),
});
export type CleaningTask = z.infer<typeof taskSchema>;

export const boardQuery = z.object({ communityId: z.uuid(), day: date.optional() });
export const boardSchema = z.object({
  communityId: z.string(),
  day: z.string(),
  counts: z.record(z.enum(TASK_STATES), z.number().int()),
  tasks: z.array(taskSchema),
});

export const taskQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  from: date.optional(),
  to: date.optional(),
  areaId: z.uuid().optional(),
  assigneeId: z.uuid().optional(),
  state: z.enum(TASK_STATES).optional(),
  /** Only tasks with photos (the history's photo view). */
  withPhotos: z.enum(['true', 'false']).optional(),
});

export const myTaskQuery = z.object({ day: date.optional() });
export const myTasks = z.object({ day: z.string(), tasks: z.array(taskSchema) });

export const completeBody = z.strictObject({
  /** Made on the device once per completion, so a retried or replayed request completes the task once. */
  clientId: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/),
  /** When the work was done (the device's clock; defaults to now). Queued offline completions keep their time. */
  doneAt: z.iso.datetime({ offset: true }).optional(),
  /** The area's QR code, scanned on the spot. */
  code: z.string().max(200).optional(),
  photoFileIds: z.array(z.uuid()).max(9).default([]),
  note: z.string().trim().max(500).optional(),
});
export type CompleteInput = z.infer<typeof completeBody>;

export const generateBody = z.strictObject({ communityId: z.uuid(), day: date });
export const generateResult = z.object({ day: z.string(), created: z.number().int(), assigned: z.number().int() });

// ── Figures ───────────────────────────────────────────────────────────────────────────────────────────────────
export const figuresQuery = z.object({ communityId: z.uuid(), from: date.optional(), to: date.optional() });
const tally = z.object({ total: z.number().int(), done: z.number().int(), late: z.number().int(), missed: z.number().int(), rate: z.number().nullable(), onTimeRate: z.number().nullable() });
export type Tally = z.infer<typeof tally>;
const named = tally.extend({ id: z.string().nullable(), name: z.string() });
export const figuresSchema = z.object({
  communityId: z.string(),
  from: z.string(),
  to: z.string(),
  totals: tally,
  byDay: z.array(tally.extend({ day: z.string() })),
  byWeek: z.array(tally.extend({ week: z.string() })),
  byArea: z.array(named),
  byDepartment: z.array(named),
  byPost: z.array(named),
  byPerson: z.array(named),
});
export type CleaningFigures = z.infer<typeof figuresSchema>;
