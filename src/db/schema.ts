import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Kysely's view of the tables. Modules reach other modules' tables only through their services. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<unknown, string | undefined, string>;
/** PostgreSQL numeric: read as a string, written as a string or number. */
type Decimal = ColumnType<string, string | number, string | number>;
/** A business date 'YYYY-MM-DD'. */
type DateString = string;

export interface CompaniesTable {
  id: Generated<string>;
  name: string;
  code: string;
  status: Generated<'active' | 'suspended'>;
  contact_phone: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CommunitiesTable {
  id: Generated<string>;
  company_id: string;
  name: string;
  code: string;
  address: string | null;
  time_zone: Generated<string>;
  province_code: string | null;
  city_code: string | null;
  district_code: string | null;
  /** numeric columns come back as strings: exact decimals, never floats */
  land_area: Decimal | null;
  building_area: Decimal | null;
  green_area: Decimal | null;
  service_level: 'level1' | 'level2' | 'level3' | null;
  management_mode: 'professional' | 'simple' | 'selfGoverned' | 'villageManaged' | 'unmanaged' | null;
  community_type: 'commercial' | 'resettlement' | 'enterpriseDorm' | 'openOld' | 'office' | null;
  enclosed: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type UserKind = 'operator' | 'staff' | 'owner';

export interface UsersTable {
  id: Generated<string>;
  company_id: string | null;
  kind: UserKind;
  username: string | null;
  display_name: string;
  phone: string | null;
  password_hash: string | null;
  status: Generated<'active' | 'disabled'>;
  all_communities: Generated<boolean>;
  must_change_password: Generated<boolean>;
  last_login_at: Date | null;
  resident_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RolesTable {
  id: Generated<string>;
  company_id: string;
  name: string;
  builtin_key: string | null;
  description: string | null;
  permissions: string[];
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface UserRolesTable {
  user_id: string;
  role_id: string;
}

export interface UserCommunitiesTable {
  user_id: string;
  community_id: string;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  key: string;
  succeeded: boolean;
  at: CreatedAt;
}

export interface OtpChallengesTable {
  id: Generated<string>;
  phone: string;
  code_hash: string;
  attempts: Generated<number>;
  created_at: CreatedAt;
  expires_at: Date;
  consumed_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  company_id: string | null;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Json;
  after: Json;
  request_id: string | null;
  ip: string | null;
  at: CreatedAt;
}

export interface SmsOutboxTable {
  id: Generated<string>;
  company_id: string | null;
  phone: string;
  template: string;
  params: JSONColumnType<Record<string, string>>;
  body: string;
  provider: string;
  status: Generated<'queued' | 'sent' | 'failed' | 'stored'>;
  error: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
}

export interface JobRunsTable {
  id: Generated<number>;
  job: string;
  scope: string;
  period_key: string;
  company_id: string | null;
  instance_id: string;
  status: Generated<'running' | 'succeeded' | 'failed'>;
  error: string | null;
  result: Json;
  started_at: CreatedAt;
  finished_at: Date | null;
}

export interface FilesTable {
  id: Generated<string>;
  company_id: string | null;
  uploaded_by: string | null;
  storage_key: string;
  thumb_key: string | null;
  original_name: string;
  mime_type: string;
  size_bytes: number;
  width: number | null;
  height: number | null;
  sha256: string;
  created_at: CreatedAt;
}

export type BuildingKind = 'highRise' | 'midRise' | 'multiStorey' | 'villa' | 'office' | 'commercial';
export type RoomKind = 'residence' | 'shop' | 'office' | 'garage' | 'storage';
export type RoomStatus = 'unsold' | 'vacant' | 'delivered' | 'renovating' | 'occupied' | 'rented';
export type Relation = 'owner' | 'family' | 'tenant';

export interface PhasesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  name: string;
  kind: Generated<'phase' | 'group'>;
  created_at: CreatedAt;
}

export interface ZonesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  name: string;
  responsible_user_id: string | null;
  note: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface BuildingsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  phase_id: string | null;
  zone_id: string | null;
  name: string;
  kind: BuildingKind;
  floors_above: number;
  floors_below: Generated<number>;
  lifts: Generated<number>;
  sort_order: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface BuildingUnitsTable {
  id: Generated<string>;
  company_id: string;
  building_id: string;
  name: string;
  sort_order: Generated<number>;
}

export interface CommonPartsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  zone_id: string | null;
  building_id: string | null;
  name: string;
  kind: string;
  location: string | null;
  responsible_user_id: string | null;
  created_at: CreatedAt;
}

export interface RoomsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  building_id: string;
  unit_id: string | null;
  floor: number;
  number: string;
  built_area: Decimal;
  inner_area: Decimal | null;
  kind: Generated<RoomKind>;
  status: Generated<RoomStatus>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RoomStatusHistoryTable {
  id: Generated<number>;
  company_id: string;
  room_id: string;
  from_status: RoomStatus | null;
  to_status: RoomStatus;
  reason: string | null;
  changed_by: string | null;
  at: CreatedAt;
}

export interface ParkingSpacesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  area: 'above' | 'under';
  number: string;
  kind: Generated<'standard' | 'large' | 'small' | 'charging' | 'accessible' | 'garage'>;
  mode: Generated<'fixed' | 'shared'>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ResidentsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  name: string;
  phone: string | null;
  id_type: Generated<'idCard' | 'passport' | 'hkMacauPermit' | 'taiwanPermit' | 'foreignPermit' | 'other'>;
  id_number: string | null;
  gender: 'male' | 'female' | null;
  birthday: DateString | null;
  care_flags: Generated<string[]>;
  profile_note: string | null;
  safety_note: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RoomResidentsTable {
  id: Generated<string>;
  company_id: string;
  room_id: string;
  resident_id: string;
  relation: Relation;
  share_percent: Decimal | null;
  start_date: DateString;
  end_date: DateString | null;
  move_in_date: DateString | null;
  warranty_end: DateString | null;
  lease_start: DateString | null;
  lease_end: DateString | null;
  end_reason: string | null;
  created_at: CreatedAt;
}

export interface VehiclesTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  resident_id: string;
  plate: string;
  energy: 'fuel' | 'newEnergy';
  parking_space_id: string | null;
  brand: string | null;
  color: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ParkingHoldingsTable {
  id: Generated<string>;
  company_id: string;
  parking_space_id: string;
  resident_id: string;
  holding: 'sold' | 'rented';
  start_date: DateString;
  end_date: DateString | null;
  created_at: CreatedAt;
}

export interface CommitteeMembersTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  resident_id: string;
  position: 'director' | 'deputyDirector' | 'member';
  term_start: DateString;
  term_end: DateString;
  created_at: CreatedAt;
}

export interface MoveInsTable {
  id: Generated<string>;
  company_id: string;
  room_id: string;
  resident_id: string;
  notice_no: string;
  contract_no: string;
  status: Generated<'registered' | 'inspected' | 'handedOver' | 'cancelled'>;
  inspected_at: Date | null;
  handed_over_at: Date | null;
  keys_count: number | null;
  handover_note: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface MoveInInspectionItemsTable {
  id: Generated<string>;
  company_id: string;
  move_in_id: string;
  area: string;
  item: string;
  ok: boolean;
  defect: string | null;
  photo_file_id: string | null;
}

export interface HouseholdRequestsTable {
  id: Generated<string>;
  company_id: string;
  room_id: string;
  requested_by: string;
  name: string;
  phone: string | null;
  relation: 'family' | 'tenant';
  lease_start: DateString | null;
  lease_end: DateString | null;
  note: string | null;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  resident_id: string | null;
  created_at: CreatedAt;
}

export type ImportKind = 'rooms' | 'parking' | 'residents';
export type ImportStatus = 'validated' | 'applying' | 'applied' | 'failed';

export interface ImportJobsTable {
  id: Generated<string>;
  company_id: string;
  community_id: string;
  kind: ImportKind;
  file_name: string;
  status: Generated<ImportStatus>;
  sheet_rows: number;
  to_create: Generated<number>;
  to_update: Generated<number>;
  unchanged: Generated<number>;
  error_rows: Generated<number>;
  processed: Generated<number>;
  total: Generated<number>;
  skip_errors: Generated<boolean>;
  report: Json;
  rows: Json;
  result: Json | null;
  error: string | null;
  created_by: string | null;
  applied_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  started_at: Date | null;
  finished_at: Date | null;
}

import type { ServiceDeskTables } from './schema-service-desk.ts';
import type { BillingTables } from './schema-billing.ts';
import type { PaymentTables } from './schema-payments.ts';
import type { RosterTables } from './schema-rosters.ts';
import type { PatrolTables } from './schema-patrols.ts';
import type { EquipmentTables } from './schema-equipment.ts';
import type { QualityTables } from './schema-quality.ts';
import type { CleaningTables } from './schema-cleaning.ts';

export interface DB extends ServiceDeskTables, BillingTables, PaymentTables, RosterTables, PatrolTables, EquipmentTables, QualityTables, CleaningTables {
  companies: CompaniesTable;
  communities: CommunitiesTable;
  users: UsersTable;
  roles: RolesTable;
  user_roles: UserRolesTable;
  user_communities: UserCommunitiesTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  otp_challenges: OtpChallengesTable;
  audit_log: AuditLogTable;
  sms_outbox: SmsOutboxTable;
  job_runs: JobRunsTable;
  files: FilesTable;
  phases: PhasesTable;
  zones: ZonesTable;
  buildings: BuildingsTable;
  building_units: BuildingUnitsTable;
  common_parts: CommonPartsTable;
  rooms: RoomsTable;
  room_status_history: RoomStatusHistoryTable;
  parking_spaces: ParkingSpacesTable;
  residents: ResidentsTable;
  room_residents: RoomResidentsTable;
  vehicles: VehiclesTable;
  parking_holdings: ParkingHoldingsTable;
  committee_members: CommitteeMembersTable;
  move_ins: MoveInsTable;
  move_in_inspection_items: MoveInInspectionItemsTable;
  household_requests: HouseholdRequestsTable;
  import_jobs: ImportJobsTable;
}
