import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the staff-structure tables (migration 0015): departments, posts, shifts, rosters, certificates, training. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A business date 'YYYY-MM-DD' (date columns are read as strings, see db/index.ts). */
type DateString = string;
/** A time of day 'HH:MM:SS'. */
type TimeString = string;

export type DepartmentKind = 'security' | 'cleaning' | 'engineering' | 'greening' | 'service' | 'quality' | 'admin' | 'other';
export type RosterKind = 'work' | 'off' | 'leave';
export type TrainingTopic = 'safety' | 'fire' | 'service' | 'skills' | 'law' | 'induction' | 'other';

export interface DepartmentsTable {
  id: Generated<string>;
  company_id: string;
  name: string;
  kind: Generated<DepartmentKind>;
  head_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PostsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  department_id: string;
  name: string;
  round_the_clock: Generated<boolean>;
  min_staff: Generated<number>;
  required_certificates: ColumnType<string[], string[] | undefined, string[]>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PostMembersTable {
  post_id: string;
  user_id: string;
  company_id: string;
}

export interface ShiftsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  name: string;
  code: string;
  start_time: TimeString;
  end_time: TimeString;
  color: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RosterEntriesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  day: DateString;
  shift_id: string | null;
  post_id: string | null;
  user_id: string;
  kind: Generated<RosterKind>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface StaffCertificatesTable {
  id: Generated<string>;
  company_id: string;
  user_id: string;
  kind: string;
  number: string;
  issuer: string | null;
  issued_on: DateString | null;
  expires_on: DateString | null;
  file_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  revoked_at: Date | null;
}

export interface TrainingRecordsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string | null;
  user_id: string;
  title: string;
  topic: Generated<TrainingTopic>;
  day: DateString;
  tenth_hours: number;
  trainer: string | null;
  passed: boolean | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface SigningKeysTable {
  company_id: string;
  secret: string;
  created_at: CreatedAt;
}

/** One certificate expiry alert sent (migration 0020): stage 60, 30 or 0 days before expiry. */
export interface CertificateAlertsTable {
  certificate_id: string;
  stage: number;
  company_id: string;
  expires_on: DateString;
  sent_at: CreatedAt;
}

export interface RosterTables {
  certificate_alerts: CertificateAlertsTable;
  signing_keys: SigningKeysTable;
  departments: DepartmentsTable;
  posts: PostsTable;
  post_members: PostMembersTable;
  shifts: ShiftsTable;
  roster_entries: RosterEntriesTable;
  staff_certificates: StaffCertificatesTable;
  training_records: TrainingRecordsTable;
}
