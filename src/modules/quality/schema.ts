import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

/**
 * Request and response schemas of quality checks and rectification (品质检查 / 整改). No server imports: the web app
 * imports the types from here.
 */

export const DEPARTMENT_KINDS = ['security', 'cleaning', 'engineering', 'greening', 'service', 'quality', 'admin', 'other'] as const;
export const INSPECTION_KINDS = ['scheduled', 'adhoc', 'cross'] as const;
export const INSPECTION_STATUS = ['planned', 'inProgress', 'submitted', 'cancelled'] as const;
export const NOTICE_STATUS = ['open', 'rectified', 'returned', 'closed', 'cancelled'] as const;
export const NOTICE_ACTION = ['rectify', 'verify', 'sendBack', 'extend', 'cancel'] as const;
export const REWARD_KINDS = ['reward', 'penalty'] as const;

const date = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();
const photoIds = z.array(z.uuid()).max(9).default([]);

// ── Templates ───────────────────────────────────────────────────────────────────────────────────────────────
export const templateItemInput = z.strictObject({
  label: text(100),
  maxPoints: z.number().int().min(1).max(100),
  departmentKind: z.enum(DEPARTMENT_KINDS).default('other'),
  guidance: optionalText(300),
});
export const createTemplateBody = z.strictObject({
  name: text(60),
  description: optionalText(300),
  items: z.array(templateItemInput).min(1).max(60),
});
export type CreateTemplateInput = z.infer<typeof createTemplateBody>;
/** Changing the items makes a new version; inspections already made keep the items they were made with. */
export const updateTemplateBody = z.strictObject({
  name: text(60).optional(),
  description: optionalText(300),
  active: z.boolean().optional(),
  items: z.array(templateItemInput).min(1).max(60).optional(),
});
export type UpdateTemplateInput = z.infer<typeof updateTemplateBody>;

export const templateItem = z.object({ id: z.string(), label: z.string(), maxPoints: z.number().int(), departmentKind: z.enum(DEPARTMENT_KINDS), guidance: z.string().nullable() });
export const template = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  version: z.number().int(),
  active: z.boolean(),
  maxScore: z.number().int(),
  items: z.array(templateItem),
  updatedAt: z.string(),
});
export type Template = z.infer<typeof template>;
export const templateQuery = z.object({ active: z.enum(['true', 'false']).optional() });

// ── Schedules ───────────────────────────────────────────────────────────────────────────────────────────────
export const createScheduleBody = z.strictObject({
  communityId: z.uuid(),
  templateId: z.uuid(),
  name: text(60),
  frequency: z.enum(['weekly', 'monthly']),
  /** Weekly: ISO weekday, 1 = Monday … 7 = Sunday (3 = the Wednesday cleaning inspection). */
  weekday: z.number().int().min(1).max(7).optional(),
  /** Monthly: day of the month; 29–31 fall on the last day of shorter months. */
  monthDay: z.number().int().min(1).max(31).optional(),
  inspectorId: z.uuid(),
});
export type CreateScheduleInput = z.infer<typeof createScheduleBody>;
export const updateScheduleBody = z.strictObject({ name: text(60).optional(), inspectorId: z.uuid().optional(), active: z.boolean().optional() });
export type UpdateScheduleInput = z.infer<typeof updateScheduleBody>;
export const schedule = z.object({
  id: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  template: z.object({ id: z.string(), name: z.string() }),
  name: z.string(),
  frequency: z.enum(['weekly', 'monthly']),
  weekday: z.number().int().nullable(),
  monthDay: z.number().int().nullable(),
  inspector: z.object({ id: z.string(), name: z.string() }),
  active: z.boolean(),
});
export type Schedule = z.infer<typeof schedule>;
export const scheduleQuery = z.object({ communityId: z.uuid().optional() });

// ── Inspections ─────────────────────────────────────────────────────────────────────────────────────────────
export const createInspectionBody = z.strictObject({
  communityId: z.uuid(),
  templateId: z.uuid(),
  /** adhoc: ordered (e.g. by the general manager); cross: 交叉检查 by an inspector from another community. */
  kind: z.enum(['adhoc', 'cross']),
  title: text(100).optional(),
  plannedOn: date,
  inspectorId: z.uuid(),
  note: optionalText(500),
});
export type CreateInspectionInput = z.infer<typeof createInspectionBody>;

export const inspectionQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  status: z.enum(INSPECTION_STATUS).optional(),
  kind: z.enum(INSPECTION_KINDS).optional(),
  from: date.optional(),
  to: date.optional(),
  /** Only the caller's own inspections (the phone). */
  mine: z.enum(['true', 'false']).optional(),
});
export type InspectionQuery = z.infer<typeof inspectionQuery>;

const person = z.object({ id: z.string(), name: z.string() });
export const inspectionSummary = z.object({
  id: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  kind: z.enum(INSPECTION_KINDS),
  title: z.string(),
  templateName: z.string(),
  templateVersion: z.number().int(),
  plannedOn: z.string(),
  inspector: person,
  status: z.enum(INSPECTION_STATUS),
  score: z.number().int().nullable(),
  maxScore: z.number().int(),
  /** score ÷ maxScore in %, one decimal. */
  percent: z.number().nullable(),
  findings: z.number().int(),
  submittedAt: z.string().nullable(),
});
export type InspectionSummary = z.infer<typeof inspectionSummary>;

export const inspectionItem = z.object({
  id: z.string(),
  label: z.string(),
  maxPoints: z.number().int(),
  departmentKind: z.enum(DEPARTMENT_KINDS),
  guidance: z.string().nullable(),
  deducted: z.number().int(),
  note: z.string().nullable(),
  /** Points after the item's own deduction and its findings'. */
  points: z.number().int(),
});

export const noticeSummary = z.object({
  id: z.string(),
  no: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  inspectionId: z.string(),
  inspectionTitle: z.string(),
  itemLabel: z.string().nullable(),
  description: z.string(),
  location: z.string().nullable(),
  buildingName: z.string().nullable(),
  deduction: z.number().int(),
  department: z.object({ id: z.string(), name: z.string() }).nullable(),
  assignee: person.nullable(),
  inspector: person,
  deadlineAt: z.string(),
  status: z.enum(NOTICE_STATUS),
  overdue: z.boolean(),
  escalationLevel: z.number().int(),
  rectifiedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type NoticeSummary = z.infer<typeof noticeSummary>;

export const inspectionDetail = inspectionSummary.extend({
  templateId: z.string(),
  note: z.string().nullable(),
  orderedBy: person.nullable(),
  startedAt: z.string().nullable(),
  items: z.array(inspectionItem),
  notices: z.array(noticeSummary),
  /** May the caller score, record findings and submit (the inspector, or a quality manager, while not submitted). */
  canEdit: z.boolean(),
});
export type InspectionDetail = z.infer<typeof inspectionDetail>;

export const scoreItemsBody = z.strictObject({
  items: z
    .array(z.strictObject({ itemId: z.uuid(), deducted: z.number().int().min(0).max(100), note: optionalText(300) }))
    .min(1)
    .max(60),
});
export type ScoreItemsInput = z.infer<typeof scoreItemsBody>;

export const createFindingBody = z.strictObject({
  itemId: z.uuid().optional(),
  description: text(500),
  location: optionalText(100),
  buildingId: z.uuid().optional(),
  deduction: z.number().int().min(0).max(100).default(0),
  /** To a department, a person, or both (the person then answers for the department). */
  departmentId: z.uuid().optional(),
  assigneeId: z.uuid().optional(),
  deadlineAt: z.iso.datetime({ offset: true }),
  photoFileIds: photoIds,
});
export type CreateFindingInput = z.infer<typeof createFindingBody>;
export const submitInspectionBody = z.strictObject({ note: optionalText(500) });

// ── Notices ─────────────────────────────────────────────────────────────────────────────────────────────────
export const noticeQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  status: z.enum(NOTICE_STATUS).optional(),
  departmentId: z.uuid().optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** Notices the caller must act on: to rectify (theirs or their department's) or to verify (their inspections). */
  mine: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(50).optional(),
});
export type NoticeQuery = z.infer<typeof noticeQuery>;

export const photo = z.object({ fileId: z.string(), stage: z.enum(['finding', 'rectify']), url: z.string() });
export const noticeEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  fromStatus: z.enum(NOTICE_STATUS).nullable(),
  toStatus: z.enum(NOTICE_STATUS).nullable(),
  note: z.string().nullable(),
  /** For an escalation: 1 the department head was told, 2 the project managers. */
  level: z.number().int().nullable(),
});
export const noticeDetail = noticeSummary.extend({
  rectifyNote: z.string().nullable(),
  photos: z.array(photo),
  events: z.array(noticeEvent),
  /** The steps the caller may take now. */
  actions: z.array(z.enum(NOTICE_ACTION)),
});
export type NoticeDetail = z.infer<typeof noticeDetail>;

export const rectifyBody = z.strictObject({ note: text(500), photoFileIds: photoIds });
export const verifyBody = z.strictObject({ note: optionalText(500) });
export const sendBackBody = z.strictObject({ reason: text(500) });
export const extendBody = z.strictObject({ deadlineAt: z.iso.datetime({ offset: true }), reason: text(500) });
export const cancelBody = z.strictObject({ reason: text(500) });

// ── Rewards and penalties ───────────────────────────────────────────────────────────────────────────────────
export const createRewardBody = z.strictObject({
  communityId: z.uuid(),
  kind: z.enum(REWARD_KINDS),
  userId: z.uuid().optional(),
  departmentId: z.uuid().optional(),
  points: z.number().int().min(1).max(100).optional(),
  /** Money in 分 (a bonus or a fine), when there is any. */
  amountFen: z.number().int().min(1).max(100_000_000).optional(),
  reason: text(200),
  inspectionId: z.uuid().optional(),
  noticeId: z.uuid().optional(),
  occurredOn: date,
});
export type CreateRewardInput = z.infer<typeof createRewardBody>;
export const rewardQuery = pageQuery.extend({ communityId: z.uuid().optional(), kind: z.enum(REWARD_KINDS).optional(), from: date.optional(), to: date.optional() });
export const reward = z.object({
  id: z.string(),
  communityId: z.string(),
  kind: z.enum(REWARD_KINDS),
  user: person.nullable(),
  department: z.object({ id: z.string(), name: z.string() }).nullable(),
  points: z.number().int().nullable(),
  amountFen: z.number().int().nullable(),
  reason: z.string(),
  inspectionId: z.string().nullable(),
  noticeNo: z.string().nullable(),
  occurredOn: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type Reward = z.infer<typeof reward>;

// ── Scores ──────────────────────────────────────────────────────────────────────────────────────────────────
export const scoresQuery = z.object({ communityId: z.uuid(), from: date, to: date, period: z.enum(['week', 'month']).default('week') });
export const scores = z.object({
  periods: z.array(z.string()),
  /** Per department (by the kind its items concern): the % score of each period (null: nothing inspected). */
  departments: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(DEPARTMENT_KINDS), percents: z.array(z.number().nullable()), findings: z.number().int() })),
  /** Per person: findings charged to them and the points deducted, rewards and penalties. */
  people: z.array(z.object({ id: z.string(), name: z.string(), findings: z.number().int(), deducted: z.number().int(), rewardPoints: z.number().int(), penaltyPoints: z.number().int() })),
  /** The community's % score per period over all inspections. */
  overall: z.array(z.number().nullable()),
});
export type Scores = z.infer<typeof scores>;

// ── Weekly supervision report (督导报告) ──────────────────────────────────────────────────────────────────────
export const weeklyReportQuery = z.object({ communityId: z.uuid(), week: date.optional() });
export const weeklyReport = z.object({
  communityId: z.string(),
  communityName: z.string(),
  weekStart: z.string(),
  weekEnd: z.string(),
  compiledAt: z.string(),
  inspections: z.array(z.object({ id: z.string(), title: z.string(), kind: z.enum(INSPECTION_KINDS), plannedOn: z.string(), inspector: z.string(), status: z.enum(INSPECTION_STATUS), score: z.number().int().nullable(), maxScore: z.number().int(), percent: z.number().nullable(), findings: z.number().int() })),
  inspectionsPlanned: z.number().int(),
  inspectionsDone: z.number().int(),
  averagePercent: z.number().nullable(),
  findingsByDepartment: z.array(z.object({ department: z.string(), findings: z.number().int(), deducted: z.number().int() })),
  findingsTotal: z.number().int(),
  rectification: z.object({ due: z.number().int(), closedOnTime: z.number().int(), rate: z.number().nullable() }),
  overdue: z.array(z.object({ no: z.string(), description: z.string(), department: z.string().nullable(), assignee: z.string().nullable(), deadlineAt: z.string(), status: z.enum(NOTICE_STATUS), escalationLevel: z.number().int() })),
  departmentScores: z.array(z.object({ department: z.string(), kind: z.enum(DEPARTMENT_KINDS), percent: z.number().nullable() })),
  rewards: z.array(z.object({ kind: z.enum(REWARD_KINDS), target: z.string(), points: z.number().int().nullable(), amountFen: z.number().int().nullable(), reason: z.string() })),
});
export type WeeklyReport = z.infer<typeof weeklyReport>;
export const compileReportBody = z.strictObject({ communityId: z.uuid(), week: date.optional() });

// ── Pickers ─────────────────────────────────────────────────────────────────────────────────────────────────
export const assigneesQuery = z.object({ communityId: z.uuid() });
export const assignees = z.object({
  departments: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(DEPARTMENT_KINDS), headName: z.string().nullable() })),
  /** Staff of the community who may rectify. */
  rectifiers: z.array(person),
  /** Staff who may inspect (quality.manage), in any community of the company: a cross-inspection takes one from elsewhere. */
  inspectors: z.array(person.extend({ communityIds: z.array(z.string()), all: z.boolean() })),
});
export type Assignees = z.infer<typeof assignees>;
