import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

/**
 * Request and response schemas of the staff structure: departments, posts (岗位), shifts, the weekly roster (排班)
 * with its coverage check, certificates (持证上岗) and training. No server imports: the web app uses these too.
 */

export const DEPARTMENT_KINDS = ['security', 'cleaning', 'engineering', 'greening', 'service', 'quality', 'admin', 'other'] as const;
export const ROSTER_KINDS = ['work', 'off', 'leave'] as const;
export const TRAINING_TOPICS = ['safety', 'fire', 'service', 'skills', 'law', 'induction', 'other'] as const;
export const CERTIFICATE_STATUSES = ['valid', 'expiring', 'expired', 'revoked'] as const;

/** The certificate kinds a property company deals with (codes stored in staff_certificates.kind). */
export const CERTIFICATE_KINDS = [
  { code: 'securityGuard', zh: '保安员证', en: 'Security guard licence' },
  { code: 'electrician', zh: '电工证（低压）', en: 'Electrician (low voltage)' },
  { code: 'hvElectrician', zh: '高压电工证', en: 'High-voltage electrician' },
  { code: 'liftOperator', zh: '电梯作业证', en: 'Lift operation' },
  { code: 'specialEquipment', zh: '特种设备安全管理', en: 'Special equipment safety management' },
  { code: 'fireFacility', zh: '消防设施操作员', en: 'Fire facility operator' },
  { code: 'propertyManager', zh: '物业经理证', en: 'Property manager' },
  { code: 'boiler', zh: '锅炉操作证', en: 'Boiler operation' },
  { code: 'welder', zh: '焊工证', en: 'Welding' },
  { code: 'heightWork', zh: '高处作业证', en: 'Work at height' },
  { code: 'refrigeration', zh: '制冷与空调作业证', en: 'Refrigeration and air conditioning' },
  { code: 'waterSupply', zh: '二次供水卫生培训合格证', en: 'Secondary water supply hygiene' },
  { code: 'health', zh: '健康证', en: 'Health certificate' },
] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number]['code'];
export const CERTIFICATE_CODES = CERTIFICATE_KINDS.map((k) => k.code) as [CertificateKind, ...CertificateKind[]];

const date = z.iso.date();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'format' });
const name = (max: number) => z.string().trim().min(1).max(max);
const year = z.coerce.number().int().min(2000).max(2100);

export const person = z.object({ id: z.string(), name: z.string() });

// ── Departments ───────────────────────────────────────────────────────────────────────────────────────────────
export const createDepartmentBody = z.strictObject({ name: name(60), kind: z.enum(DEPARTMENT_KINDS).default('other'), headId: z.uuid().nullable().optional() });
export const updateDepartmentBody = z.strictObject({ name: name(60).optional(), kind: z.enum(DEPARTMENT_KINDS).optional(), headId: z.uuid().nullable().optional() });
export type CreateDepartmentInput = z.infer<typeof createDepartmentBody>;
export type UpdateDepartmentInput = z.infer<typeof updateDepartmentBody>;
export const department = z.object({ id: z.string(), name: z.string(), kind: z.enum(DEPARTMENT_KINDS), head: person.nullable(), posts: z.number().int() });
export type Department = z.infer<typeof department>;

// ── Posts ─────────────────────────────────────────────────────────────────────────────────────────────────────
export const postQuery = z.object({ communityId: z.uuid(), includeInactive: z.coerce.boolean().optional() });
const postFields = {
  departmentId: z.uuid(),
  name: name(60),
  roundTheClock: z.boolean().default(false),
  minStaff: z.number().int().min(1).max(50).default(1),
  requiredCertificates: z.array(z.enum(CERTIFICATE_CODES)).max(10).default([]),
  memberIds: z.array(z.uuid()).max(200).default([]),
};
export const createPostBody = z.strictObject({ communityId: z.uuid(), ...postFields });
export const updatePostBody = z.strictObject({
  departmentId: postFields.departmentId.optional(),
  name: postFields.name.optional(),
  roundTheClock: z.boolean().optional(),
  minStaff: z.number().int().min(1).max(50).optional(),
  requiredCertificates: z.array(z.enum(CERTIFICATE_CODES)).max(10).optional(),
  memberIds: z.array(z.uuid()).max(200).optional(),
  active: z.boolean().optional(),
});
export type CreatePostInput = z.infer<typeof createPostBody>;
export type UpdatePostInput = z.infer<typeof updatePostBody>;
export const post = z.object({
  id: z.string(),
  communityId: z.string(),
  department: z.object({ id: z.string(), name: z.string() }),
  name: z.string(),
  roundTheClock: z.boolean(),
  minStaff: z.number().int(),
  requiredCertificates: z.array(z.string()),
  members: z.array(person),
  active: z.boolean(),
});
export type Post = z.infer<typeof post>;

// ── Shifts ────────────────────────────────────────────────────────────────────────────────────────────────────
export const shiftQuery = z.object({ communityId: z.uuid(), includeInactive: z.coerce.boolean().optional() });
export const createShiftBody = z.strictObject({
  communityId: z.uuid(),
  name: name(20),
  code: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, { message: 'format' }),
  /** 'HH:MM'; an end not after the start runs past midnight (22:00–06:00). 24:00 is written 00:00. */
  startTime: hhmm,
  endTime: hhmm,
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'format' }).nullable().optional(),
});
export const updateShiftBody = z.strictObject({
  name: name(20).optional(),
  startTime: hhmm.optional(),
  endTime: hhmm.optional(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'format' }).nullable().optional(),
  active: z.boolean().optional(),
});
export type CreateShiftInput = z.infer<typeof createShiftBody>;
export type UpdateShiftInput = z.infer<typeof updateShiftBody>;
export const shift = z.object({
  id: z.string(),
  communityId: z.string(),
  name: z.string(),
  code: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  minutes: z.number().int(),
  crossesMidnight: z.boolean(),
  /** Longer than 8 h: not allowed on a 24-hour post (DOMAIN.md §6); the board flags such entries. */
  tooLongFor24h: z.boolean(),
  color: z.string().nullable(),
  active: z.boolean(),
});
export type Shift = z.infer<typeof shift>;

// ── Roster weeks ──────────────────────────────────────────────────────────────────────────────────────────────
export const weekQuery = z.object({ communityId: z.uuid(), monday: date });
export const rosterEntryInput = z.strictObject({
  day: date,
  userId: z.uuid(),
  kind: z.enum(ROSTER_KINDS).default('work'),
  /** Required for work; not given for a day off or leave. */
  shiftId: z.uuid().nullable().optional(),
  postId: z.uuid().nullable().optional(),
});
export const putWeekBody = z.strictObject({ entries: z.array(rosterEntryInput).max(2000) });
export type PutWeekInput = z.infer<typeof putWeekBody>;
export const copyWeekBody = z.strictObject({ communityId: z.uuid(), monday: date, overwrite: z.boolean().default(false) });
export type CopyWeekInput = z.infer<typeof copyWeekBody>;

export const rosterEntry = z.object({
  id: z.string(),
  day: z.string(),
  kind: z.enum(ROSTER_KINDS),
  user: person,
  shiftId: z.string().nullable(),
  postId: z.string().nullable(),
});
export const coverageGap = z.object({ postId: z.string(), postName: z.string(), day: z.string(), from: z.string(), to: z.string(), staffed: z.number().int(), minStaff: z.number().int(), minutes: z.number().int() });
export const coverage = z.object({
  /** True when every 24-hour post has at least its minimum staff at every minute of the week. */
  ok: z.boolean(),
  gaps: z.array(coverageGap),
  /** Per 24-hour post and day, the hours left uncovered (0 when covered). */
  uncoveredHours: z.array(z.object({ postId: z.string(), day: z.string(), hours: z.number() })),
  /** Work entries on a 24-hour post with a shift longer than 8 h. */
  longShifts: z.array(z.object({ entryId: z.string(), postId: z.string(), day: z.string(), userId: z.string(), shiftId: z.string() })),
});
export type Coverage = z.infer<typeof coverage>;
export const rosterWeek = z.object({
  communityId: z.string(),
  monday: z.string(),
  days: z.array(z.string()),
  shifts: z.array(shift),
  posts: z.array(post),
  /** Staff of the company assigned to the community: the people the board can place. */
  staff: z.array(person.extend({ roles: z.array(z.string()) })),
  entries: z.array(rosterEntry),
  coverage,
});
export type RosterWeek = z.infer<typeof rosterWeek>;

export const staffQuery = z.object({ communityId: z.uuid() });
export const rosterPerson = person.extend({ roles: z.array(z.string()) });

export const myRoster = z.object({
  today: z.string(),
  entries: z.array(
    z.object({
      day: z.string(),
      kind: z.enum(ROSTER_KINDS),
      community: z.object({ id: z.string(), name: z.string() }),
      shift: z.object({ name: z.string(), code: z.string(), startTime: z.string(), endTime: z.string(), crossesMidnight: z.boolean() }).nullable(),
      post: z.string().nullable(),
    }),
  ),
  certificates: z.array(z.object({ id: z.string(), kind: z.string(), number: z.string(), expiresOn: z.string().nullable(), status: z.enum(CERTIFICATE_STATUSES), daysLeft: z.number().int().nullable() })),
});
export type MyRoster = z.infer<typeof myRoster>;

// ── Certificates ──────────────────────────────────────────────────────────────────────────────────────────────
export const certificateQuery = pageQuery.extend({
  userId: z.uuid().optional(),
  kind: z.enum(CERTIFICATE_CODES).optional(),
  status: z.enum(CERTIFICATE_STATUSES).optional(),
  communityId: z.uuid().optional(),
});
export const createCertificateBody = z.strictObject({
  userId: z.uuid(),
  kind: z.enum(CERTIFICATE_CODES),
  number: name(60),
  issuer: name(100).nullable().optional(),
  issuedOn: date.nullable().optional(),
  expiresOn: date.nullable().optional(),
  fileId: z.uuid().nullable().optional(),
});
export const updateCertificateBody = z.strictObject({
  number: name(60).optional(),
  issuer: name(100).nullable().optional(),
  issuedOn: date.nullable().optional(),
  expiresOn: date.nullable().optional(),
  fileId: z.uuid().nullable().optional(),
});
export type CreateCertificateInput = z.infer<typeof createCertificateBody>;
export type UpdateCertificateInput = z.infer<typeof updateCertificateBody>;
export const certificate = z.object({
  id: z.string(),
  user: person,
  kind: z.string(),
  number: z.string(),
  issuer: z.string().nullable(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  fileId: z.string().nullable(),
  status: z.enum(CERTIFICATE_STATUSES),
  daysLeft: z.number().int().nullable(),
  revokedAt: z.string().nullable(),
});
export type Certificate = z.infer<typeof certificate>;

export const complianceQuery = z.object({ communityId: z.uuid(), asOf: date.optional() });
export const complianceGap = z.object({
  user: person,
  post: z.object({ id: z.string(), name: z.string() }),
  kind: z.string(),
  reason: z.enum(['missing', 'expired']),
  expiredOn: z.string().nullable(),
});
export const compliance = z.object({ asOf: z.string(), gaps: z.array(complianceGap) });

// ── Training ──────────────────────────────────────────────────────────────────────────────────────────────────
export const trainingQuery = pageQuery.extend({ userId: z.uuid().optional(), communityId: z.uuid().optional(), year: year.optional(), topic: z.enum(TRAINING_TOPICS).optional() });
export const createTrainingBody = z.strictObject({
  userIds: z.array(z.uuid()).min(1).max(200),
  communityId: z.uuid().nullable().optional(),
  title: name(100),
  topic: z.enum(TRAINING_TOPICS).default('other'),
  day: date,
  /** Hours with at most one decimal: 1.5. */
  hours: z.number().min(0.1).max(240).refine((h) => Number.isInteger(Math.round(h * 10)) && Math.abs(h * 10 - Math.round(h * 10)) < 1e-9, { message: 'format' }),
  trainer: name(60).nullable().optional(),
  passed: z.boolean().nullable().optional(),
});
export type CreateTrainingInput = z.infer<typeof createTrainingBody>;
export const training = z.object({
  id: z.string(),
  user: person,
  communityId: z.string().nullable(),
  title: z.string(),
  topic: z.enum(TRAINING_TOPICS),
  day: z.string(),
  hours: z.number(),
  trainer: z.string().nullable(),
  passed: z.boolean().nullable(),
});
export const trainingSummaryQuery = z.object({ year, communityId: z.uuid().optional() });
export const trainingSummary = z.object({
  year: z.number().int(),
  people: z.array(z.object({ user: person, sessions: z.number().int(), hours: z.number(), byTopic: z.record(z.string(), z.number()) })),
});
