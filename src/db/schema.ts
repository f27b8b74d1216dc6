import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Kysely's view of the tables. Modules reach other modules' tables only through their services. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<unknown, string | undefined, string>;

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

export interface DB {
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
}
