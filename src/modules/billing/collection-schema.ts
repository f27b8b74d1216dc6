import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

/**
 * Request and response schemas of 催缴: reminder campaigns (SMS, in-app message, printed notice, collection task) and
 * the collection tasks of zone staff. Money is integer 分 (`…Fen`); dates are the community's local 'YYYY-MM-DD'.
 */

export const CHANNELS = ['sms', 'inApp', 'letter', 'task'] as const;
export type Channel = (typeof CHANNELS)[number];
export const OUTCOMES = ['paid', 'promised', 'refused', 'unreachable', 'dispute', 'other'] as const;
export const TASK_STATUSES = ['open', 'done'] as const;
/** The most notices one PDF holds: beyond it the request is refused and the caller prints by building or zone. */
export const MAX_NOTICES = 2000;

const date = z.iso.date();
const ids = (max: number) => z.array(z.uuid()).min(1).max(max);

/** Which rooms in arrears a campaign or a batch of notices reaches. */
export const debtorFilter = z.strictObject({
  communityId: z.uuid(),
  /** Only rooms owing at least this much in total (overdue lines). */
  minOwedFen: z.number().int().min(0).max(1_000_000_000_000).optional(),
  /** Only rooms whose oldest overdue line is at least this many days past its due date. */
  minOverdueDays: z.number().int().min(0).max(3650).optional(),
  buildingIds: ids(500).optional(),
  zoneIds: ids(200).optional(),
  roomIds: ids(MAX_NOTICES).optional(),
  /** The day arrears are counted on (lines due before it); default today in the community's time zone. */
  asOf: date.optional(),
});
export type DebtorFilter = z.infer<typeof debtorFilter>;

export const debtor = z.object({
  roomId: z.string(),
  roomLabel: z.string(),
  buildingId: z.string(),
  zoneId: z.string().nullable(),
  /** The current owners' names (masked without personal.viewFull), joined with 、; null when the room has none. */
  ownerName: z.string().nullable(),
  hasOwnerPhone: z.boolean(),
  hasOwnerAccount: z.boolean(),
  owedFen: z.number().int(),
  lineCount: z.number().int(),
  oldestDueDate: z.string(),
  overdueDays: z.number().int(),
});
export type Debtor = z.infer<typeof debtor>;

export const campaignPreview = z.object({
  communityId: z.string(),
  asOf: z.string(),
  roomCount: z.number().int(),
  totalOwedFen: z.number().int(),
  withPhone: z.number().int(),
  withAccount: z.number().int(),
  rooms: z.array(debtor),
});
export type CampaignPreview = z.infer<typeof campaignPreview>;

export const createCampaignBody = debtorFilter.extend({
  title: z.string().trim().min(1).max(100),
  channels: z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length),
  /** Who works the collection tasks; default each zone's responsible person, else nobody (to be assigned). */
  assigneeId: z.uuid().optional(),
  /** The same key again returns the same campaign and sends nothing. */
  idempotencyKey: z.string().trim().min(8).max(100),
});
export type CreateCampaignInput = z.infer<typeof createCampaignBody>;

export const campaign = z.object({
  id: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  title: z.string(),
  channels: z.array(z.enum(CHANNELS)),
  minOwedFen: z.number().int(),
  minOverdueDays: z.number().int(),
  roomCount: z.number().int(),
  totalOwedFen: z.number().int(),
  smsCount: z.number().int(),
  inAppCount: z.number().int(),
  taskCount: z.number().int(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type Campaign = z.infer<typeof campaign>;

export const recipient = z.object({
  roomId: z.string(),
  roomLabel: z.string(),
  ownerName: z.string().nullable(),
  /** The snapshot taken when the campaign was created. */
  owedFen: z.number().int(),
  lineCount: z.number().int(),
  oldestDueDate: z.string(),
  smsSent: z.boolean(),
  inAppSent: z.boolean(),
  /** What the room owes today (lines due before today, still open). */
  currentOwedFen: z.number().int(),
  /** Money applied to the room's bills since the campaign (refunds subtract). */
  paidSinceFen: z.number().int(),
  taskId: z.string().nullable(),
  taskStatus: z.enum(TASK_STATUSES).nullable(),
  taskOutcome: z.enum(OUTCOMES).nullable(),
});
export const campaignDetail = campaign.extend({ recipients: z.array(recipient) });
export type CampaignDetail = z.infer<typeof campaignDetail>;

export const campaignQuery = pageQuery.extend({ communityId: z.uuid().optional() });

export const campaignNoticesQuery = z.strictObject({
  /** Print one building of a large campaign at a time. */
  buildingId: z.uuid().optional(),
  payBy: date.optional(),
});

export const noticesBody = debtorFilter.extend({
  /** Printed on the notice as the date to pay by. */
  payBy: date.optional(),
});
export type NoticesInput = z.infer<typeof noticesBody>;

export const collectionTask = z.object({
  id: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  campaignId: z.string().nullable(),
  campaignTitle: z.string().nullable(),
  roomId: z.string(),
  roomLabel: z.string(),
  /** Shown in full to the task's assignee and to roles with personal.viewFull, masked to others. */
  ownerName: z.string().nullable(),
  ownerPhone: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  /** Owed when the task was made. */
  owedFen: z.number().int(),
  /** Owed today (lines due before today, still open). */
  currentOwedFen: z.number().int(),
  status: z.enum(TASK_STATUSES),
  outcome: z.enum(OUTCOMES).nullable(),
  promisedDate: z.string().nullable(),
  note: z.string().nullable(),
  doneBy: z.string().nullable(),
  doneAt: z.string().nullable(),
  createdAt: z.string(),
});
export type CollectionTask = z.infer<typeof collectionTask>;

export const taskQuery = pageQuery.extend({
  communityId: z.uuid().optional(),
  assigneeId: z.uuid().optional(),
  status: z.enum(TASK_STATUSES).optional(),
  /** Only the caller's own tasks (always so without billing.manage). */
  mine: z.enum(['true', 'false']).optional(),
});
export type TaskQuery = z.infer<typeof taskQuery>;

export const outcomeBody = z.strictObject({
  outcome: z.enum(OUTCOMES),
  /** Required for `promised`: the day the owner promised to pay, today or later. */
  promisedDate: date.optional(),
  note: z.string().trim().min(1).max(500),
});
export type OutcomeInput = z.infer<typeof outcomeBody>;

export const assignBody = z.strictObject({ assigneeId: z.uuid() });
