import type { ColumnType, Generated } from 'kysely';
import type { DepartmentKind } from './schema-rosters.ts';

/** Kysely's view of the quality tables (migration 0018). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T = unknown> = ColumnType<T, string | undefined, string>;
/** A business date 'YYYY-MM-DD'. */
type DateString = string;

export type InspectionKind = 'scheduled' | 'adhoc' | 'cross';
export type InspectionStatus = 'planned' | 'inProgress' | 'submitted' | 'cancelled';
export type NoticeStatus = 'open' | 'rectified' | 'returned' | 'closed' | 'cancelled';
export type ScheduleFrequency = 'weekly' | 'monthly';
export type RewardKind = 'reward' | 'penalty';

export interface QualityTemplatesTable {
  id: Generated<string>;
  company_id: string;
  name: string;
  description: string | null;
  version: Generated<number>;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface QualityTemplateItemsTable {
  id: Generated<string>;
  company_id: string;
  template_id: string;
  sort_order: number;
  label: string;
  max_points: number;
  department_kind: Generated<DepartmentKind>;
  guidance: string | null;
}

export interface QualitySchedulesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  template_id: string;
  name: string;
  frequency: ScheduleFrequency;
  weekday: number | null;
  month_day: number | null;
  inspector_id: string;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface QualityInspectionsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  template_id: string;
  template_version: number;
  schedule_id: string | null;
  kind: InspectionKind;
  title: string;
  planned_on: DateString;
  inspector_id: string;
  ordered_by: string | null;
  status: Generated<InspectionStatus>;
  score: number | null;
  max_score: number;
  note: string | null;
  started_at: Date | null;
  submitted_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface QualityInspectionItemsTable {
  id: Generated<string>;
  company_id: string;
  inspection_id: string;
  sort_order: number;
  label: string;
  max_points: number;
  department_kind: DepartmentKind;
  guidance: string | null;
  deducted: Generated<number>;
  note: string | null;
}

export interface QualityCountersTable {
  company_id: string;
  year: number;
  last: number;
}

export interface QualityNoticesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  no: string;
  inspection_id: string;
  item_id: string | null;
  description: string;
  location: string | null;
  building_id: string | null;
  deduction: Generated<number>;
  department_id: string | null;
  assignee_id: string | null;
  deadline_at: Date;
  status: Generated<NoticeStatus>;
  rectified_at: Date | null;
  rectify_note: string | null;
  closed_at: Date | null;
  escalation_level: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface QualityNoticePhotosTable {
  notice_id: string;
  file_id: string;
  company_id: string;
  stage: 'finding' | 'rectify';
  created_at: CreatedAt;
}

export interface QualityNoticeEventsTable {
  id: Generated<number>;
  company_id: string;
  notice_id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  from_status: NoticeStatus | null;
  to_status: NoticeStatus | null;
  note: string | null;
  payload: Json<Record<string, unknown>>;
}

export interface QualityRewardsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  kind: RewardKind;
  user_id: string | null;
  department_id: string | null;
  points: number | null;
  amount_fen: number | null;
  reason: string;
  inspection_id: string | null;
  notice_id: string | null;
  occurred_on: DateString;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface QualityReportsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  week_start: DateString;
  data: Json<unknown>;
  compiled_at: Timestamp;
  compiled_by: string | null;
}

export interface QualityTables {
  quality_templates: QualityTemplatesTable;
  quality_template_items: QualityTemplateItemsTable;
  quality_schedules: QualitySchedulesTable;
  quality_inspections: QualityInspectionsTable;
  quality_inspection_items: QualityInspectionItemsTable;
  quality_counters: QualityCountersTable;
  quality_notices: QualityNoticesTable;
  quality_notice_photos: QualityNoticePhotosTable;
  quality_notice_events: QualityNoticeEventsTable;
  quality_rewards: QualityRewardsTable;
  quality_reports: QualityReportsTable;
}
