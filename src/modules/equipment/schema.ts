import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';
import { mobilePhone, shortText } from '../../core/validation.ts';
import { CATEGORIES } from './catalogue.ts';
import { CYCLES, STATUSES } from './rules.ts';

/** Request and response schemas of the equipment ledger, maintenance plans and tasks, and statutory inspections. */

const date = z.iso.date();
const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) => text(max).nullable().optional();
export const category = z.enum(CATEGORIES);
export const equipmentStatus = z.enum(STATUSES);
export const cycle = z.enum(CYCLES);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true').optional();

export const spec = z.strictObject({ label: shortText(30), value: shortText(60) });
export const checklistItem = z.strictObject({
  label: shortText(100),
  kind: z.enum(['check', 'number', 'text']).default('check'),
  min: z.number().nullable().optional(),
  max: z.number().nullable().optional(),
  unit: text(10).nullable().optional(),
});
const person = z.object({ id: z.string(), name: z.string() }).nullable();

// ── Equipment ─────────────────────────────────────────────────────────────────────────────────────────────────
export const equipmentQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  category: category.optional(),
  status: equipmentStatus.optional(),
  buildingId: z.uuid().optional(),
  responsibleId: z.uuid().optional(),
  /** Code, name, location, model or serial number. */
  q: text(50).optional(),
});
export type EquipmentQuery = z.infer<typeof equipmentQuery>;

const equipmentFields = {
  code: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_\-./]+$/),
  name: shortText(100),
  category,
  location: text(200).default(''),
  buildingId: z.uuid().nullable().optional(),
  model: optionalText(60),
  serialNo: optionalText(60),
  manufacturer: optionalText(100),
  madeOn: date.nullable().optional(),
  installedOn: date.nullable().optional(),
  specs: z.array(spec).max(20).default([]),
  vendor: optionalText(100),
  contractorName: optionalText(100),
  contractorPhone: z.union([mobilePhone, z.string().trim().regex(/^0\d{2,3}-?\d{7,8}$/)]).nullable().optional(),
  responsibleId: z.uuid().nullable().optional(),
  note: optionalText(500),
  attachmentFileIds: z.array(z.uuid()).max(20).default([]),
};
export const createEquipmentBody = z.strictObject({ communityId: z.uuid(), ...equipmentFields });
export type CreateEquipmentInput = z.infer<typeof createEquipmentBody>;
export const updateEquipmentBody = z.strictObject({
  code: equipmentFields.code.optional(),
  name: equipmentFields.name.optional(),
  category: category.optional(),
  location: text(200).optional(),
  buildingId: equipmentFields.buildingId,
  model: equipmentFields.model,
  serialNo: equipmentFields.serialNo,
  manufacturer: equipmentFields.manufacturer,
  madeOn: equipmentFields.madeOn,
  installedOn: equipmentFields.installedOn,
  specs: z.array(spec).max(20).optional(),
  vendor: equipmentFields.vendor,
  contractorName: equipmentFields.contractorName,
  contractorPhone: equipmentFields.contractorPhone,
  responsibleId: equipmentFields.responsibleId,
  note: equipmentFields.note,
  attachmentFileIds: z.array(z.uuid()).max(20).optional(),
});
export type UpdateEquipmentInput = z.infer<typeof updateEquipmentBody>;

export const equipmentSummary = z.object({
  id: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  code: z.string(),
  name: z.string(),
  category,
  location: z.string(),
  building: z.object({ id: z.string(), name: z.string() }).nullable(),
  model: z.string().nullable(),
  status: equipmentStatus,
  statusChangedAt: z.string(),
  responsible: person,
  /** The earliest next due date of its statutory inspections. */
  nextInspectionOn: z.string().nullable(),
  openTasks: z.number().int(),
  overdueTasks: z.number().int(),
});
export type EquipmentSummary = z.infer<typeof equipmentSummary>;

export const statusChange = z.object({
  id: z.string(),
  fromStatus: equipmentStatus.nullable(),
  toStatus: equipmentStatus,
  reason: z.string(),
  ticket: z.object({ id: z.string(), no: z.string() }).nullable(),
  changedBy: z.string().nullable(),
  changedAt: z.string(),
});

export const inspectionRecord = z.object({
  id: z.string(),
  inspectedOn: z.string(),
  certificateNo: z.string().nullable(),
  result: z.enum(['passed', 'conditional', 'failed']),
  agency: z.string().nullable(),
  nextDueOn: z.string(),
  note: z.string().nullable(),
  fileId: z.string().nullable(),
  recordedBy: z.string().nullable(),
  createdAt: z.string(),
});

export const inspection = z.object({
  id: z.string(),
  communityId: z.string(),
  equipment: z.object({ id: z.string(), code: z.string(), name: z.string(), category }),
  kind: z.string(),
  name: z.string(),
  cycleMonths: z.number().int(),
  agency: z.string().nullable(),
  nextDueOn: z.string(),
  /** Days from today (community time) to the due date; negative when overdue. */
  daysLeft: z.number().int(),
  active: z.boolean(),
  lastRecord: inspectionRecord.nullable(),
});
export type Inspection = z.infer<typeof inspection>;

export const equipmentDetail = equipmentSummary.extend({
  buildingId: z.string().nullable(),
  serialNo: z.string().nullable(),
  manufacturer: z.string().nullable(),
  madeOn: z.string().nullable(),
  installedOn: z.string().nullable(),
  specs: z.array(z.object({ label: z.string(), value: z.string() })),
  vendor: z.string().nullable(),
  contractorName: z.string().nullable(),
  contractorPhone: z.string().nullable(),
  note: z.string().nullable(),
  attachments: z.array(z.object({ fileId: z.string(), name: z.string(), mimeType: z.string() })),
  history: z.array(statusChange),
  inspections: z.array(inspection.extend({ records: z.array(inspectionRecord) })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EquipmentDetail = z.infer<typeof equipmentDetail>;

export const statusBody = z.strictObject({ status: equipmentStatus, reason: shortText(200) });

export const faultBody = z.strictObject({
  description: shortText(1000),
  urgency: z.enum(['normal', 'urgent']).default('normal'),
  photoFileIds: z.array(z.uuid()).max(9).default([]),
});

export const equipmentTicket = z.object({
  id: z.string(),
  no: z.string(),
  title: z.string(),
  status: z.string(),
  source: z.enum(['report', 'task']),
  reportedAt: z.string(),
  assigneeName: z.string().nullable(),
});
export const faultResult = z.object({ ticket: equipmentTicket, equipment: equipmentDetail });

export const scanResult = z.object({ id: z.string() });
export const codeParams = z.object({ code: z.string().min(1).max(120) });
export const labelsQuery = z.object({
  communityId: z.uuid(),
  category: category.optional(),
  /** Comma-separated ids; all items of the community (and category) when absent. */
  ids: z.string().max(8000).optional(),
});

// ── Plans ─────────────────────────────────────────────────────────────────────────────────────────────────────
const planFields = {
  name: shortText(100),
  cycle,
  /** N of "every N days/months/years"; multiplies the other cycles (weekly × 2 = fortnightly). Zero is refused. */
  interval: z.number().int().min(1).max(366).default(1),
  startOn: date,
  endOn: date.nullable().optional(),
  checklist: z.array(checklistItem).max(50).default([]),
  assigneeId: z.uuid().nullable().optional(),
  postId: z.uuid().nullable().optional(),
  leadDays: z.number().int().min(0).max(60).default(0),
};
export const createPlanBody = z.strictObject({
  communityId: z.uuid(),
  /** One item … */
  equipmentId: z.uuid().optional(),
  /** … or every item of a category in the community. */
  category: category.optional(),
  ...planFields,
});
export type CreatePlanInput = z.infer<typeof createPlanBody>;
export const updatePlanBody = z.strictObject({
  name: planFields.name.optional(),
  cycle: cycle.optional(),
  interval: z.number().int().min(1).max(366).optional(),
  startOn: date.optional(),
  endOn: date.nullable().optional(),
  checklist: z.array(checklistItem).max(50).optional(),
  assigneeId: z.uuid().nullable().optional(),
  postId: z.uuid().nullable().optional(),
  leadDays: z.number().int().min(0).max(60).optional(),
  active: z.boolean().optional(),
});
export type UpdatePlanInput = z.infer<typeof updatePlanBody>;
export const planQuery = pageQuery.extend({ communityId: z.uuid().optional(), equipmentId: z.uuid().optional(), active: flag });

export const plan = z.object({
  id: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  equipment: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
  category: category.nullable(),
  name: z.string(),
  cycle,
  interval: z.number().int(),
  startOn: z.string(),
  endOn: z.string().nullable(),
  checklist: z.array(checklistItem),
  assignee: person,
  post: person,
  leadDays: z.number().int(),
  active: z.boolean(),
  /** The next due date from today (community time); null once the plan has ended. */
  nextDueOn: z.string().nullable(),
  createdAt: z.string(),
});
export type Plan = z.infer<typeof plan>;

// ── Tasks ─────────────────────────────────────────────────────────────────────────────────────────────────────
export const TASK_VIEWS = ['open', 'overdue', 'done', 'all'] as const;
export const taskQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  equipmentId: z.uuid().optional(),
  planId: z.uuid().optional(),
  view: z.enum(TASK_VIEWS).default('all'),
  /** Only tasks of mine: assigned to me, or to a post I hold. */
  mine: flag,
  from: date.optional(),
  to: date.optional(),
});
export type TaskQuery = z.infer<typeof taskQuery>;

const answer = z.strictObject({
  index: z.number().int().min(0).max(49),
  ok: z.boolean().nullable().optional(),
  value: z.union([z.number(), z.string().trim().max(200)]).nullable().optional(),
  note: text(200).nullable().optional(),
});
export const completeTaskBody = z.strictObject({
  answers: z.array(answer).max(50).default([]),
  photoFileIds: z.array(z.uuid()).max(9).default([]),
  note: text(500).optional(),
});
export type CompleteTaskInput = z.infer<typeof completeTaskBody>;

export const task = z.object({
  id: z.string(),
  communityId: z.string(),
  planId: z.string(),
  equipment: z.object({ id: z.string(), code: z.string(), name: z.string(), category, location: z.string() }),
  title: z.string(),
  dueOn: z.string(),
  status: z.enum(['open', 'done', 'skipped']),
  overdue: z.boolean(),
  checklist: z.array(checklistItem),
  answers: z.array(answer).nullable(),
  photoFileIds: z.array(z.string()),
  abnormal: z.boolean(),
  note: z.string().nullable(),
  assignee: person,
  post: person,
  doneBy: z.string().nullable(),
  doneAt: z.string().nullable(),
  ticket: z.object({ id: z.string(), no: z.string() }).nullable(),
});
export type Task = z.infer<typeof task>;

export const generateBody = z.strictObject({ communityId: z.uuid(), day: date.optional() });
export const generateResult = z.object({ created: z.number().int() });

// ── Inspections ───────────────────────────────────────────────────────────────────────────────────────────────
export const inspectionQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  equipmentId: z.uuid().optional(),
  /** Due within this many days (overdue ones included). */
  dueWithin: z.coerce.number().int().min(0).max(366).optional(),
});
export const createInspectionBody = z.strictObject({
  equipmentId: z.uuid(),
  kind: z.string().trim().regex(/^[A-Za-z]{2,30}$/),
  name: shortText(60),
  cycleMonths: z.number().int().min(1).max(120),
  agency: optionalText(100),
  nextDueOn: date,
});
export type CreateInspectionInput = z.infer<typeof createInspectionBody>;
export const recordBody = z.strictObject({
  inspectedOn: date,
  certificateNo: optionalText(60),
  result: z.enum(['passed', 'conditional', 'failed']),
  agency: optionalText(100),
  /** Defaults to the inspection date + the cycle; a failed inspection is usually re-done much sooner. */
  nextDueOn: date.optional(),
  note: optionalText(500),
  fileId: z.uuid().nullable().optional(),
});
export type RecordInput = z.infer<typeof recordBody>;

// ── Figures ───────────────────────────────────────────────────────────────────────────────────────────────────
export const figuresQuery = z.object({ communityId: z.uuid().optional() });
const counts = z.object({ normal: z.number().int(), fault: z.number().int(), stopped: z.number().int(), intactRate: z.number().nullable() });
export const figures = z.object({
  asOf: z.string(),
  total: counts,
  byCategory: z.array(counts.extend({ category })),
  byCommunity: z.array(counts.extend({ communityId: z.string(), communityName: z.string() })),
  tasks: z.object({ open: z.number().int(), overdue: z.number().int(), doneThisMonth: z.number().int() }),
  inspections: z.object({ overdue: z.number().int(), within30: z.number().int(), within60: z.number().int() }),
  faultsByMonth: z.array(z.object({ month: z.string(), count: z.number().int() })),
});
export type Figures = z.infer<typeof figures>;

export const catalogue = z.array(
  z.object({
    code: category,
    zh: z.string(),
    en: z.string(),
    plans: z.array(z.object({ key: z.string(), zh: z.string(), en: z.string(), cycle, interval: z.number().int(), leadDays: z.number().int(), checklist: z.array(checklistItem) })),
    inspections: z.array(z.object({ kind: z.string(), zh: z.string(), en: z.string(), cycleMonths: z.number().int(), agencyZh: z.string() })),
  }),
);
