import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the equipment tables (migration 0017). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A business date 'YYYY-MM-DD' (date columns are read as strings, see db/index.ts). */
type DateString = string;
type Json<T> = ColumnType<T, string | undefined, string>;

export type EquipmentStatus = 'normal' | 'fault' | 'stopped';
export type MaintenanceCycle = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'halfYearly' | 'yearly' | 'everyNDays' | 'everyNMonths' | 'everyNYears';
export type MaintenanceTaskStatus = 'open' | 'done' | 'skipped';
export type InspectionResult = 'passed' | 'conditional' | 'failed';

export interface EquipmentSpec {
  label: string;
  value: string;
}
/** A checklist item: a yes/no check, a number (with an optional normal range) or a text answer. */
export interface ChecklistItem {
  label: string;
  kind: 'check' | 'number' | 'text';
  min?: number | null;
  max?: number | null;
  unit?: string | null;
}
export interface ChecklistAnswer {
  index: number;
  ok?: boolean | null;
  value?: number | string | null;
  note?: string | null;
}

export interface EquipmentTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  code: string;
  name: string;
  category: string;
  location: Generated<string>;
  building_id: string | null;
  model: string | null;
  serial_no: string | null;
  manufacturer: string | null;
  made_on: DateString | null;
  installed_on: DateString | null;
  specs: Json<EquipmentSpec[]>;
  vendor: string | null;
  contractor_name: string | null;
  contractor_phone: string | null;
  responsible_id: string | null;
  status: Generated<EquipmentStatus>;
  status_changed_at: Timestamp;
  note: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EquipmentStatusHistoryTable {
  id: Generated<string>;
  company_id: string;
  equipment_id: string;
  from_status: EquipmentStatus | null;
  to_status: EquipmentStatus;
  reason: Generated<string>;
  ticket_id: string | null;
  changed_by: string | null;
  changed_at: Timestamp;
}

export interface EquipmentAttachmentsTable {
  equipment_id: string;
  file_id: string;
  company_id: string;
  created_at: CreatedAt;
}

export interface EquipmentTicketsTable {
  equipment_id: string;
  ticket_id: string;
  company_id: string;
  source: 'report' | 'task';
  task_id: string | null;
  created_at: CreatedAt;
}

export interface MaintenancePlansTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  equipment_id: string | null;
  category: string | null;
  name: string;
  cycle: MaintenanceCycle;
  interval: Generated<number>;
  start_on: DateString;
  end_on: DateString | null;
  checklist: Json<ChecklistItem[]>;
  assignee_id: string | null;
  post_id: string | null;
  lead_days: Generated<number>;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface MaintenanceTasksTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  plan_id: string;
  equipment_id: string;
  due_on: DateString;
  title: string;
  checklist: Json<ChecklistItem[]>;
  assignee_id: string | null;
  post_id: string | null;
  status: Generated<MaintenanceTaskStatus>;
  answers: ColumnType<ChecklistAnswer[] | null, string | null | undefined, string | null>;
  photo_file_ids: ColumnType<string[], string[] | undefined, string[]>;
  abnormal: Generated<boolean>;
  note: string | null;
  done_by: string | null;
  done_at: Date | null;
  ticket_id: string | null;
  created_at: CreatedAt;
}

export interface EquipmentInspectionsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  equipment_id: string;
  kind: string;
  name: string;
  cycle_months: number;
  agency: string | null;
  next_due_on: DateString;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface InspectionRecordsTable {
  id: Generated<string>;
  company_id: string;
  inspection_id: string;
  equipment_id: string;
  inspected_on: DateString;
  certificate_no: string | null;
  result: InspectionResult;
  agency: string | null;
  next_due_on: DateString;
  note: string | null;
  file_id: string | null;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface InspectionAlertsTable {
  inspection_id: string;
  due_on: DateString;
  days_before: number;
  company_id: string;
  sent_at: CreatedAt;
}

export interface EquipmentTables {
  equipment: EquipmentTable;
  equipment_status_history: EquipmentStatusHistoryTable;
  equipment_attachments: EquipmentAttachmentsTable;
  equipment_tickets: EquipmentTicketsTable;
  maintenance_plans: MaintenancePlansTable;
  maintenance_tasks: MaintenanceTasksTable;
  equipment_inspections: EquipmentInspectionsTable;
  inspection_records: InspectionRecordsTable;
  inspection_alerts: InspectionAlertsTable;
}
