import { z } from 'zod';
import { shortText } from '../../core/validation.ts';
import { durationUnit, severity, ticketKind, ticketQuery, urgency } from './schema.ts';

/**
 * Request and response schemas of the service-desk configuration: categories, time-limit policies, staff groups,
 * dispatch rules, settings, the working-day calendar and saved queue views. No server imports: the web app uses
 * them for its forms too.
 */

const nullableId = z.uuid().nullable().optional();
const flag = z.enum(['true', 'false']).optional();

// ── Categories ──────────────────────────────────────────────────────────────────────────────────────────────

export const category = z.object({
  id: z.uuid(),
  kind: ticketKind,
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  active: z.boolean(),
  sort: z.number().int(),
});
export const categoryQuery = z.object({ kind: ticketKind.optional(), active: flag });
export const createCategoryBody = z.strictObject({
  kind: ticketKind,
  code: z.string().trim().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,31}$/),
  name: shortText(40),
  nameEn: z.string().trim().min(1).max(80).optional(),
  /** Position within its kind; by default after the last one. */
  sort: z.number().int().min(0).max(10000).optional(),
});
/** Kind and code are fixed once tickets may carry the category; retire one with `active: false`. */
export const updateCategoryBody = z.strictObject({
  name: shortText(40).optional(),
  nameEn: z.string().trim().min(1).max(80).nullable().optional(),
  active: z.boolean().optional(),
  sort: z.number().int().min(0).max(10000).optional(),
});

// ── Time-limit policies ─────────────────────────────────────────────────────────────────────────────────────

const duration = z.strictObject({ amount: z.number().int().min(1).max(10000), unit: durationUnit });
const storedDuration = z.object({ amount: z.number().int(), unit: durationUnit });
export const clockSpec = z
  .strictObject({ respond: duration.optional(), arrive: duration.optional(), resolve: duration.optional(), reply: duration.optional() })
  .refine((c) => Object.values(c).some(Boolean), { message: 'required' });

export const policy = z.object({
  id: z.uuid(),
  communityId: z.uuid().nullable(),
  communityName: z.string().nullable(),
  kind: ticketKind,
  categoryId: z.uuid().nullable(),
  categoryName: z.string().nullable(),
  urgency: urgency.nullable(),
  severity: severity.nullable(),
  clocks: z.object({ respond: storedDuration.optional(), arrive: storedDuration.optional(), resolve: storedDuration.optional(), reply: storedDuration.optional() }),
  /** Each clock in words, in the caller's language: '3个工作日', '10 minutes'. */
  descriptions: z.object({ respond: z.string().optional(), arrive: z.string().optional(), resolve: z.string().optional(), reply: z.string().optional() }),
  pauseStopsClock: z.boolean(),
  note: z.string().nullable(),
  updatedAt: z.string(),
});
/** With communityId: the policies that can apply there (the company's and that community's own). */
export const policyQuery = z.object({ communityId: z.uuid().optional(), kind: ticketKind.optional() });
export const createPolicyBody = z.strictObject({
  communityId: nullableId,
  kind: ticketKind,
  categoryId: nullableId,
  urgency: urgency.nullable().optional(),
  severity: severity.nullable().optional(),
  clocks: clockSpec,
  pauseStopsClock: z.boolean().default(true),
  note: z.string().trim().max(200).optional(),
});
export const updatePolicyBody = z.strictObject({
  communityId: nullableId,
  kind: ticketKind.optional(),
  categoryId: nullableId,
  urgency: urgency.nullable().optional(),
  severity: severity.nullable().optional(),
  clocks: clockSpec.optional(),
  pauseStopsClock: z.boolean().optional(),
  note: z.string().trim().max(200).nullable().optional(),
});

// ── Staff groups ────────────────────────────────────────────────────────────────────────────────────────────

export const staffGroup = z.object({
  id: z.uuid(),
  name: z.string(),
  communityId: z.uuid().nullable(),
  communityName: z.string().nullable(),
  leaderId: z.uuid().nullable(),
  leaderName: z.string().nullable(),
  /** In round-robin order. */
  members: z.array(z.object({ userId: z.uuid(), name: z.string(), position: z.number().int() })),
  updatedAt: z.string(),
});
/** With communityId: the groups that can serve there (company-wide ones and that community's). */
export const communityFilter = z.object({ communityId: z.uuid().optional() });
const memberIds = z.array(z.uuid()).max(100);
export const createGroupBody = z.strictObject({
  name: shortText(40),
  communityId: nullableId,
  leaderId: nullableId,
  /** The round-robin order. */
  memberIds,
});
export const updateGroupBody = z.strictObject({
  name: shortText(40).optional(),
  communityId: nullableId,
  leaderId: nullableId,
  /** Replaces the list; positions follow the array. */
  memberIds: memberIds.optional(),
});

// ── Dispatch rules ──────────────────────────────────────────────────────────────────────────────────────────

export const dispatchMode = z.enum(['person', 'roundRobin', 'pool']);
export const dispatchRule = z.object({
  id: z.uuid(),
  communityId: z.uuid(),
  communityName: z.string(),
  kind: ticketKind.nullable(),
  categoryId: z.uuid().nullable(),
  categoryName: z.string().nullable(),
  buildingId: z.uuid().nullable(),
  buildingName: z.string().nullable(),
  zoneId: z.uuid().nullable(),
  zoneName: z.string().nullable(),
  mode: dispatchMode,
  assigneeId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  groupId: z.uuid().nullable(),
  groupName: z.string().nullable(),
  priority: z.number().int(),
  active: z.boolean(),
  updatedAt: z.string(),
});
const priority = z.number().int().min(0).max(10000);
export const createRuleBody = z.strictObject({
  communityId: z.uuid(),
  kind: ticketKind.nullable().optional(),
  categoryId: nullableId,
  buildingId: nullableId,
  zoneId: nullableId,
  mode: dispatchMode,
  /** mode 'person': who gets the tickets. */
  assigneeId: nullableId,
  /** mode 'roundRobin' or 'pool': the group. */
  groupId: nullableId,
  /** Lower runs first. */
  priority: priority.default(100),
  active: z.boolean().default(true),
});
export const updateRuleBody = z.strictObject({
  communityId: z.uuid().optional(),
  kind: ticketKind.nullable().optional(),
  categoryId: nullableId,
  buildingId: nullableId,
  zoneId: nullableId,
  mode: dispatchMode.optional(),
  assigneeId: nullableId,
  groupId: nullableId,
  priority: priority.optional(),
  active: z.boolean().optional(),
});

// ── Settings ────────────────────────────────────────────────────────────────────────────────────────────────

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const percent = z.number().int().min(0).max(100);
export const settingsBody = z.strictObject({
  businessStart: hhmm,
  businessEnd: hhmm,
  /** Both set, or both null for no lunch break. */
  lunchStart: hhmm.nullable(),
  lunchEnd: hhmm.nullable(),
  halfDayHours: z.number().int().min(1).max(12),
  halfDayOn: z.enum(['everyDay', 'workingDays']),
  atRiskPercent: z.number().int().min(1).max(99),
  returnVisitSamplePercent: percent,
  returnVisitMaxAttempts: z.number().int().min(1).max(10),
  autoConfirmDays: z.number().int().min(1).max(30),
  committeeQuorum: z.number().int().min(1).max(20),
  satisfactionTarget: percent,
  returnVisitTarget: percent,
  timelinessTarget: percent,
  notifyOwnerSms: z.boolean(),
});
export type SettingsInput = z.infer<typeof settingsBody>;
export const settings = z.object({
  ...settingsBody.shape,
  updatedAt: z.string(),
  returnVisitQuestions: z.array(z.object({ key: z.string(), zh: z.string(), en: z.string() })),
});

// ── Working-day calendar ────────────────────────────────────────────────────────────────────────────────────

export const calendarQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
export const calendarDayParams = z.object({ day: z.iso.date() });
export const calendarDayBody = z.strictObject({ kind: z.enum(['holiday', 'workday']), name: z.string().trim().max(40).default('') });
export const calendarYearBody = z.strictObject({ year: z.number().int().min(2000).max(2100) });
export const calendar = z.object({
  year: z.number().int(),
  /** The year's holidays and make-up days are entered (shipped or by the company); see workCalendar(). */
  known: z.boolean(),
  days: z.array(z.object({ day: z.string(), kind: z.enum(['holiday', 'workday']), name: z.string(), source: z.enum(['shipped', 'company']) })),
});

// ── Saved queue views ───────────────────────────────────────────────────────────────────────────────────────

/** The queue's own filters, nothing else. */
export const viewFilters = ticketQuery.omit({ page: true, pageSize: true }).strict();
export const ticketView = z.object({ id: z.uuid(), name: z.string(), filters: z.record(z.string(), z.unknown()), createdAt: z.string() });
export const createViewBody = z.strictObject({ name: shortText(40), filters: viewFilters });
