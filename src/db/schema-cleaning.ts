import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the cleaning tables (migration 0019): areas, work items, generated tasks and their photos. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A business date 'YYYY-MM-DD'. */
type DateString = string;

export type CleaningAreaKind = 'cleaning' | 'greening';
export type CleaningFrequency = 'daily' | 'weekly' | 'halfMonthly' | 'monthly' | 'yearly';
export type CleaningTaskStatus = 'open' | 'done' | 'missed';
export type CleaningCheckIn = 'qr' | 'manual';

export interface CleaningAreasTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  name: string;
  kind: CleaningAreaKind;
  building_id: string | null;
  zone_id: string | null;
  department_id: string | null;
  post_id: string | null;
  qr_required: Generated<boolean>;
  note: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CleaningItemsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  area_id: string;
  name: string;
  preset: string | null;
  frequency: CleaningFrequency;
  /** Slot start times 'HH:MM'. */
  times: string[];
  window_minutes: number;
  weekdays: ColumnType<number[], number[] | undefined, number[]>;
  month_day: number | null;
  month: number | null;
  shift_id: string | null;
  photo_required: Generated<boolean>;
  standard: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CleaningTasksTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  area_id: string;
  item_id: string;
  day: DateString;
  slot: number;
  starts_at: Date;
  due_at: Date;
  closes_at: Date;
  shift_id: string | null;
  post_id: string | null;
  department_id: string | null;
  assignee_id: string | null;
  photo_required: Generated<boolean>;
  status: Generated<CleaningTaskStatus>;
  late: Generated<boolean>;
  done_at: Date | null;
  done_by: string | null;
  check_in: CleaningCheckIn | null;
  note: string | null;
  client_id: string | null;
  missed_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CleaningTaskPhotosTable {
  task_id: string;
  file_id: string;
  company_id: string;
}

export interface CleaningTables {
  cleaning_areas: CleaningAreasTable;
  cleaning_items: CleaningItemsTable;
  cleaning_tasks: CleaningTasksTable;
  cleaning_task_photos: CleaningTaskPhotosTable;
}
