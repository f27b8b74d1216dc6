import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the service-desk tables (migration 0009). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T = unknown> = ColumnType<T, string | undefined, string>;
type Decimal = ColumnType<string, string | number, string | number>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type TicketKind = 'homeRepair' | 'publicRepair' | 'complaint' | 'inquiry' | 'paidService';
export type TicketStatus = 'submitted' | 'accepted' | 'dispatched' | 'arrived' | 'inProgress' | 'paused' | 'completed' | 'confirmed' | 'visited' | 'closed' | 'cancelled';
export type ClockState = 'running' | 'atRisk' | 'overdue' | 'met' | 'metLate';
export type TicketChannel = 'ownerApp' | 'frontDesk' | 'hotline' | 'monitoring' | 'patrol' | 'device';
export type Urgency = 'normal' | 'urgent';
export type Severity = 'ordinary' | 'major';
export type RepairSize = 'small' | 'medium' | 'major';
export type ApprovalStatus = 'notNeeded' | 'pending' | 'approved' | 'rejected';

export interface CalendarDaysTable {
  id: Generated<string>;
  company_id: string | null;
  day: string;
  kind: 'holiday' | 'workday';
  name: Generated<string>;
  created_at: CreatedAt;
}

export interface CalendarYearsTable {
  id: Generated<string>;
  company_id: string | null;
  year: number;
  created_at: CreatedAt;
}

export interface ServiceDeskSettingsTable {
  company_id: string;
  business_start: Generated<string>;
  business_end: Generated<string>;
  lunch_start: Nullable<string>;
  lunch_end: Nullable<string>;
  half_day_hours: Generated<number>;
  half_day_on: Generated<'everyDay' | 'workingDays'>;
  at_risk_percent: Generated<number>;
  return_visit_sample_percent: Generated<number>;
  return_visit_max_attempts: Generated<number>;
  auto_confirm_days: Generated<number>;
  committee_quorum: Generated<number>;
  satisfaction_target: Generated<number>;
  return_visit_target: Generated<number>;
  timeliness_target: Generated<number>;
  notify_owner_sms: Generated<boolean>;
  updated_at: Timestamp;
}

export interface TicketCategoriesTable {
  id: Generated<string>;
  company_id: string;
  kind: TicketKind;
  code: string;
  name: string;
  name_en: string | null;
  active: Generated<boolean>;
  sort: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type ClockName = 'respond' | 'arrive' | 'resolve' | 'reply';
export type DurationUnit = 'minutes' | 'hours' | 'halfDays' | 'days' | 'workingDays';
export type ClockSpec = Partial<Record<ClockName, { amount: number; unit: DurationUnit }>>;

export interface SlaPoliciesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string | null;
  kind: TicketKind;
  category_id: string | null;
  urgency: Urgency | null;
  severity: Severity | null;
  clocks: Json<ClockSpec>;
  pause_stops_clock: Generated<boolean>;
  note: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface StaffGroupsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string | null;
  name: string;
  leader_id: string | null;
  rr_cursor: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface StaffGroupMembersTable {
  group_id: string;
  user_id: string;
  company_id: string;
  position: Generated<number>;
}

export interface DispatchRulesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  kind: TicketKind | null;
  category_id: string | null;
  building_id: string | null;
  zone_id: string | null;
  mode: 'person' | 'roundRobin' | 'pool';
  assignee_id: string | null;
  group_id: string | null;
  priority: Generated<number>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TicketCountersTable {
  company_id: string;
  day: string;
  last: number;
}

export interface TicketsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  no: string;
  kind: TicketKind;
  category_id: string;
  urgency: Generated<Urgency>;
  severity: Generated<Severity>;
  repair_size: RepairSize | null;
  room_id: string | null;
  building_id: string | null;
  zone_id: string | null;
  location: string | null;
  title: string;
  description: Generated<string>;
  channel: TicketChannel;
  reporter_user_id: string | null;
  reporter_resident_id: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_lang: Generated<'zh-CN' | 'en'>;
  reported_at: Timestamp;
  status: TicketStatus;
  paused_from: Nullable<TicketStatus>;
  paused_at: Nullable<Date>;
  assignee_id: Nullable<string>;
  group_id: Nullable<string>;
  in_pool: Generated<boolean>;
  acknowledged_at: Nullable<Date>;
  policy_id: string | null;
  pause_stops_clock: Generated<boolean>;
  beyond_calendar: Generated<boolean>;
  respond_due_at: Nullable<Date>;
  respond_warn_at: Nullable<Date>;
  respond_done_at: Nullable<Date>;
  respond_state: Nullable<ClockState>;
  arrive_due_at: Nullable<Date>;
  arrive_warn_at: Nullable<Date>;
  arrive_done_at: Nullable<Date>;
  arrive_state: Nullable<ClockState>;
  resolve_due_at: Nullable<Date>;
  resolve_warn_at: Nullable<Date>;
  resolve_done_at: Nullable<Date>;
  resolve_state: Nullable<ClockState>;
  reply_due_at: Nullable<Date>;
  reply_warn_at: Nullable<Date>;
  reply_done_at: Nullable<Date>;
  reply_state: Nullable<ClockState>;
  approval_status: Generated<ApprovalStatus>;
  rework_count: Generated<number>;
  rating: Nullable<number>;
  rating_tags: Generated<string[]>;
  rating_comment: Nullable<string>;
  rated_at: Nullable<Date>;
  reply_text: Nullable<string>;
  charge_fen: Nullable<number>;
  cancel_reason: Nullable<string>;
  accepted_at: Nullable<Date>;
  dispatched_at: Nullable<Date>;
  arrived_at: Nullable<Date>;
  completed_at: Nullable<Date>;
  closed_at: Nullable<Date>;
  created_by: string | null;
  client_ref: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TicketEventsTable {
  id: Generated<string>;
  seq: Generated<number>;
  company_id: string;
  ticket_id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  payload: Json<Record<string, unknown>>;
  client_action_id: string | null;
  created_at: CreatedAt;
}

export interface TicketAttachmentsTable {
  id: Generated<string>;
  company_id: string;
  ticket_id: string;
  file_id: string;
  stage: 'report' | 'before' | 'progress' | 'after' | 'visit';
  event_id: string | null;
  created_at: CreatedAt;
}

export interface TicketMaterialsTable {
  id: Generated<string>;
  company_id: string;
  ticket_id: string;
  name: string;
  quantity: Decimal;
  unit: Generated<string>;
  price_fen: Generated<number>;
  added_by: string | null;
  client_action_id: string | null;
  created_at: CreatedAt;
}

export interface TicketApprovalsTable {
  id: Generated<string>;
  company_id: string;
  ticket_id: string;
  voter_user_id: string;
  voter_name: string;
  decision: 'approve' | 'reject';
  note: string | null;
  created_at: CreatedAt;
}

export interface ReturnVisitsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  ticket_id: string;
  reason: 'complaint' | 'majorComplaint' | 'sample' | 'manual';
  mandatory: boolean;
  status: Generated<'pending' | 'done' | 'unreachable' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  satisfaction: Nullable<number>;
  resolved: Nullable<boolean>;
  answers: Json<Record<string, unknown>>;
  note: Nullable<string>;
  channel: Nullable<'phone' | 'visit' | 'online'>;
  visited_by: Nullable<string>;
  visited_at: Nullable<Date>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface NotificationsTable {
  id: Generated<number>;
  company_id: string;
  user_id: string;
  ticket_id: string | null;
  kind: string;
  title: string;
  body: Generated<string>;
  read_at: Nullable<Date>;
  created_at: CreatedAt;
}

export interface TicketViewsTable {
  id: Generated<string>;
  company_id: string;
  user_id: string;
  name: string;
  filters: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface ServiceDeskTables {
  calendar_days: CalendarDaysTable;
  calendar_years: CalendarYearsTable;
  service_desk_settings: ServiceDeskSettingsTable;
  ticket_categories: TicketCategoriesTable;
  sla_policies: SlaPoliciesTable;
  staff_groups: StaffGroupsTable;
  staff_group_members: StaffGroupMembersTable;
  dispatch_rules: DispatchRulesTable;
  ticket_counters: TicketCountersTable;
  tickets: TicketsTable;
  ticket_events: TicketEventsTable;
  ticket_attachments: TicketAttachmentsTable;
  ticket_materials: TicketMaterialsTable;
  ticket_approvals: TicketApprovalsTable;
  return_visits: ReturnVisitsTable;
  notifications: NotificationsTable;
  ticket_views: TicketViewsTable;
}
