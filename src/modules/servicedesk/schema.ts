import { z } from 'zod';
import { mobilePhone, shortText } from '../../core/validation.ts';
import { pageQuery } from '../../core/pagination.ts';

/** Request and response schemas of the service desk (报事报修). No server imports: the web app uses them too. */

export const ticketKind = z.enum(['homeRepair', 'publicRepair', 'complaint', 'inquiry', 'paidService']);
export const ticketStatus = z.enum(['submitted', 'accepted', 'dispatched', 'arrived', 'inProgress', 'paused', 'completed', 'confirmed', 'visited', 'closed', 'cancelled']);
export const clockName = z.enum(['respond', 'arrive', 'resolve', 'reply']);
export const clockStateEnum = z.enum(['running', 'atRisk', 'overdue', 'met', 'metLate']);
export const channel = z.enum(['ownerApp', 'frontDesk', 'hotline', 'monitoring', 'patrol', 'device']);
export const urgency = z.enum(['normal', 'urgent']);
export const severity = z.enum(['ordinary', 'major']);
export const repairSize = z.enum(['small', 'medium', 'major']);
export const durationUnit = z.enum(['minutes', 'hours', 'halfDays', 'days', 'workingDays']);
export const ticketAction = z.enum(['accept', 'dispatch', 'grab', 'acknowledge', 'transfer', 'handBack', 'arrive', 'start', 'reply', 'complete', 'confirm', 'rework', 'returnVisit', 'close', 'pause', 'resume', 'cancel']);

const photoIds = z.array(z.uuid()).max(9);
const reason = z.string().trim().min(1).max(500);
/** A client-made id for an action queued offline: sending it again does nothing the second time. */
const clientActionId = z.uuid().optional();
/** When the action really happened on the phone (an offline check-in synced later); never in the future. */
const actedAt = z.iso.datetime({ offset: true }).optional();

export const createTicketBody = z
  .object({
    communityId: z.uuid(),
    kind: ticketKind,
    categoryId: z.uuid(),
    urgency: urgency.default('normal'),
    severity: severity.default('ordinary'),
    repairSize: repairSize.optional(),
    roomId: z.uuid().optional(),
    location: z.string().trim().min(1).max(200).optional(),
    title: shortText(100),
    description: z.string().trim().max(2000).default(''),
    channel: channel.default('frontDesk'),
    reporterResidentId: z.uuid().optional(),
    reporterName: z.string().trim().min(1).max(50).optional(),
    reporterPhone: mobilePhone.optional(),
    reportedAt: z.iso.datetime({ offset: true }).optional(),
    photoFileIds: photoIds.default([]),
    clientActionId,
  })
  .strict();

export const ownerCreateTicketBody = z
  .object({
    roomId: z.uuid(),
    kind: ticketKind,
    categoryId: z.uuid(),
    urgency: urgency.default('normal'),
    location: z.string().trim().min(1).max(200).optional(),
    title: shortText(100),
    description: z.string().trim().max(2000).default(''),
    photoFileIds: photoIds.default([]),
    clientActionId,
  })
  .strict();

export const ticketQuery = pageQuery.extend({
  status: z.union([ticketStatus, z.array(ticketStatus)]).optional(),
  open: z.enum(['true', 'false']).optional(),
  kind: ticketKind.optional(),
  categoryId: z.uuid().optional(),
  communityId: z.uuid().optional(),
  assigneeId: z.union([z.uuid(), z.literal('me')]).optional(),
  clockState: z.enum(['atRisk', 'overdue']).optional(),
  urgency: urgency.optional(),
  q: z.string().trim().max(50).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

export const clock = z.object({
  clock: clockName,
  dueAt: z.string(),
  warnAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  state: clockStateEnum,
});

export const ticketSummary = z.object({
  id: z.uuid(),
  no: z.string(),
  communityId: z.uuid(),
  communityName: z.string(),
  kind: ticketKind,
  categoryId: z.uuid(),
  categoryName: z.string(),
  urgency,
  severity,
  title: z.string(),
  status: ticketStatus,
  roomLabel: z.string().nullable(),
  location: z.string().nullable(),
  assigneeId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  inPool: z.boolean(),
  reportedAt: z.string(),
  channel,
  clocks: z.array(clock),
  worstClock: clockStateEnum.nullable(),
  reworkCount: z.number().int(),
  rating: z.number().int().nullable(),
});

export const ticketEvent = z.object({
  id: z.uuid(),
  at: z.string(),
  action: z.string(),
  actorName: z.string().nullable(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  note: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
});

export const ticketDetail = ticketSummary.extend({
  description: z.string(),
  repairSize: repairSize.nullable(),
  roomId: z.uuid().nullable(),
  buildingId: z.uuid().nullable(),
  reporterName: z.string().nullable(),
  reporterPhone: z.string().nullable(),
  groupId: z.uuid().nullable(),
  acknowledgedAt: z.string().nullable(),
  pausedFrom: ticketStatus.nullable(),
  beyondCalendar: z.boolean(),
  policyNote: z.string().nullable(),
  approvalStatus: z.enum(['notNeeded', 'pending', 'approved', 'rejected']),
  approvals: z.array(z.object({ voterName: z.string(), decision: z.enum(['approve', 'reject']), note: z.string().nullable(), at: z.string() })),
  ratingTags: z.array(z.string()),
  ratingComment: z.string().nullable(),
  replyText: z.string().nullable(),
  chargeFen: z.number().int().nullable(),
  cancelReason: z.string().nullable(),
  attachments: z.array(z.object({ fileId: z.uuid(), stage: z.string(), url: z.string() })),
  materials: z.array(z.object({ id: z.uuid(), name: z.string(), quantity: z.string(), unit: z.string(), priceFen: z.number().int() })),
  returnVisit: z
    .object({
      id: z.uuid(),
      status: z.enum(['pending', 'done', 'unreachable', 'failed']),
      mandatory: z.boolean(),
      reason: z.string(),
      attempts: z.number().int(),
      satisfaction: z.number().int().nullable(),
      resolved: z.boolean().nullable(),
      note: z.string().nullable(),
      visitedAt: z.string().nullable(),
    })
    .nullable(),
  timeline: z.array(ticketEvent),
  /** The steps the caller may take now; the UI shows only these buttons. */
  actions: z.array(ticketAction),
});

export const acceptBody = z.object({ note: z.string().trim().max(500).optional() }).strict();
export const dispatchBody = z
  .object({
    assigneeId: z.uuid().optional(),
    /** Put the ticket in a group's grab pool (抢单) instead of naming a person. */
    poolGroupId: z.uuid().optional(),
    /** Give it to the next person of a group in turn (轮流派单). */
    roundRobinGroupId: z.uuid().optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export const transferBody = z.object({ assigneeId: z.uuid(), reason }).strict();
export const reasonBody = z.object({ reason, clientActionId, at: actedAt }).strict();
export const stepBody = z.object({ note: z.string().trim().max(500).optional(), photoFileIds: photoIds.default([]), clientActionId, at: actedAt }).strict();
export const replyBody = z.object({ text: z.string().trim().min(1).max(2000), clientActionId, at: actedAt }).strict();
export const completeBody = z
  .object({
    note: z.string().trim().max(1000).optional(),
    replyText: z.string().trim().min(1).max(2000).optional(),
    photoFileIds: photoIds.default([]),
    chargeFen: z.number().int().min(0).max(100_000_000).optional(),
    clientActionId,
    at: actedAt,
  })
  .strict();
export const materialsBody = z
  .object({
    items: z
      .array(z.object({ name: shortText(50), quantity: z.number().positive().max(100000).multipleOf(0.01), unit: z.string().trim().min(1).max(10).default('个'), priceFen: z.number().int().min(0).max(10_000_000).default(0) }).strict())
      .min(1)
      .max(50),
    clientActionId,
  })
  .strict();
export const photosBody = z.object({ fileIds: photoIds.min(1), stage: z.enum(['before', 'progress', 'after']), clientActionId }).strict();
export const extendBody = z.object({ clock: clockName, dueAt: z.iso.datetime({ offset: true }), reason }).strict();
export const rateBody = z.object({ rating: z.number().int().min(1).max(5), tags: z.array(z.string().trim().min(1).max(20)).max(10).default([]), comment: z.string().trim().max(500).optional() }).strict();
export const approvalBody = z.object({ decision: z.enum(['approve', 'reject']), note: z.string().trim().max(500).optional() }).strict();
export const returnVisitBody = z
  .object({
    outcome: z.enum(['done', 'unreachable']),
    channel: z.enum(['phone', 'visit']).default('phone'),
    satisfaction: z.number().int().min(1).max(5).optional(),
    resolved: z.boolean().optional(),
    answers: z.record(z.string().max(30), z.union([z.string().max(500), z.number(), z.boolean()])).default({}),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export const ownerReturnVisitBody = z
  .object({
    satisfaction: z.number().int().min(1).max(5),
    resolved: z.boolean(),
    answers: z.record(z.string().max(30), z.union([z.string().max(500), z.number(), z.boolean()])).default({}),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();

export const returnVisitQuery = pageQuery.extend({
  status: z.enum(['pending', 'done', 'unreachable', 'failed']).optional(),
  communityId: z.uuid().optional(),
  due: z.enum(['true', 'false']).optional(),
});
export const returnVisitItem = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  ticketNo: z.string(),
  ticketTitle: z.string(),
  kind: ticketKind,
  communityName: z.string(),
  reporterName: z.string().nullable(),
  reporterPhone: z.string().nullable(),
  reason: z.string(),
  mandatory: z.boolean(),
  status: z.enum(['pending', 'done', 'unreachable', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  satisfaction: z.number().int().nullable(),
  visitedAt: z.string().nullable(),
});

export const notificationItem = z.object({
  id: z.number().int(),
  ticketId: z.uuid().nullable(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
