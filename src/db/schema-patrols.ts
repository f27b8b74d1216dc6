import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the patrols tables (migration 0016). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A business date 'YYYY-MM-DD'. */
type DateString = string;
type Json<T> = ColumnType<T, string, string>;

export type PatrolKind = 'patrol' | 'inspection';
export type AnswerKind = 'yesNo' | 'number' | 'text';
export type PlanFrequency = 'rounds' | 'interval' | 'fixed';
export type PatrolTaskStatus = 'open' | 'done' | 'partial' | 'missed';
export type PatrolPointStatus = 'pending' | 'done' | 'missed';
export type PatrolTaskFlag = 'unassigned' | 'understaffed';
export interface StoredAnswer {
  itemId: string;
  label: string;
  value: boolean | number | string | null;
  abnormal: boolean;
}

export interface PatrolCheckpointsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  no: number;
  name: string;
  location: Generated<string>;
  building_id: string | null;
  kind: PatrolKind;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PatrolChecklistItemsTable {
  id: Generated<string>;
  company_id: string;
  checkpoint_id: string;
  position: number;
  label: string;
  answer_kind: AnswerKind;
  normal_yes: boolean | null;
  min_value: number | null;
  max_value: number | null;
  unit: string | null;
  required: Generated<boolean>;
}

export interface PatrolRoutesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  name: string;
  kind: PatrolKind;
  minutes_per_point: number | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PatrolRoutePointsTable {
  route_id: string;
  position: number;
  checkpoint_id: string;
  company_id: string;
}

export interface PatrolPlansTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  name: string;
  route_id: string;
  shift_id: string;
  post_id: string | null;
  frequency: PlanFrequency;
  rounds: number | null;
  interval_minutes: number | null;
  fixed_times: ColumnType<string[], string[] | undefined, string[]>;
  window_minutes: number | null;
  people_per_round: Generated<number>;
  valid_from: DateString;
  valid_to: DateString | null;
  supervisor_id: string | null;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PatrolTasksTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  plan_id: string;
  route_id: string;
  shift_id: string;
  day: DateString;
  round: number;
  window_start: Timestamp;
  window_end: Timestamp;
  assignee_ids: ColumnType<string[], string[] | undefined, string[]>;
  flag: PatrolTaskFlag | null;
  status: Generated<PatrolTaskStatus>;
  points_total: number;
  points_done: Generated<number>;
  points_missed: Generated<number>;
  supervisor_notified_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PatrolTaskPointsTable {
  id: Generated<string>;
  company_id: string;
  task_id: string;
  position: number;
  checkpoint_id: string;
  status: Generated<PatrolPointStatus>;
  checkin_id: string | null;
  done_at: Date | null;
}

export interface PatrolCheckinsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  client_id: string;
  user_id: string;
  checkpoint_id: string;
  task_point_id: string | null;
  task_id: string | null;
  scanned_at: Timestamp;
  received_at: Timestamp;
  answers: Json<StoredAnswer[]>;
  abnormal: Generated<boolean>;
  note: string | null;
  ticket_id: string | null;
}

export interface PatrolCheckinPhotosTable {
  checkin_id: string;
  file_id: string;
  company_id: string;
}

export interface PatrolTables {
  patrol_checkpoints: PatrolCheckpointsTable;
  patrol_checklist_items: PatrolChecklistItemsTable;
  patrol_routes: PatrolRoutesTable;
  patrol_route_points: PatrolRoutePointsTable;
  patrol_plans: PatrolPlansTable;
  patrol_tasks: PatrolTasksTable;
  patrol_task_points: PatrolTaskPointsTable;
  patrol_checkins: PatrolCheckinsTable;
  patrol_checkin_photos: PatrolCheckinPhotosTable;
}
