import type { Migration } from 'kysely';
import * as m0001 from './20261122_0001_tenancy_and_accounts.ts';
import * as m0002 from './20261122_0002_sessions_and_login.ts';
import * as m0003 from './20261122_0003_audit_log.ts';
import * as m0004 from './20261122_0004_outbox_jobs_files.ts';
import * as m0005 from './20261122_0005_estate.ts';
import * as m0006 from './20261122_0006_residents.ts';
import * as m0007 from './20261122_0007_imports.ts';
import * as m0008 from './20261122_0008_search_indexes.ts';
import * as m0009 from './20261122_0009_service_desk.ts';
import * as m0010 from './20261122_0010_ticket_dashboard_indexes.ts';
import * as m0011 from './20261122_0011_billing.ts';
import * as m0012 from './20261123_0012_payments.ts';
import * as m0013 from './20261123_0013_arrears_indexes.ts';
import * as m0014 from './20261123_0014_late_fees_and_prepay_bonus.ts';
import * as m0015 from './20261123_0015_rosters.ts';
import * as m0016 from './20261123_0016_patrols.ts';
import * as m0017 from './20261123_0017_equipment.ts';
import * as m0019 from './20261123_0019_cleaning.ts';
import * as m0018 from './20261123_0018_quality.ts';
import * as m0020 from './20261123_0020_rosters_extra.ts';

/** Every migration, in order. A new migration is a new file here; an applied one is never edited. */
export const migrations: Record<string, Migration> = {
  '20261122_0001_tenancy_and_accounts': m0001,
  '20261122_0002_sessions_and_login': m0002,
  '20261122_0003_audit_log': m0003,
  '20261122_0004_outbox_jobs_files': m0004,
  '20261122_0005_estate': m0005,
  '20261122_0006_residents': m0006,
  '20261122_0007_imports': m0007,
  '20261122_0008_search_indexes': m0008,
  '20261122_0009_service_desk': m0009,
  '20261122_0010_ticket_dashboard_indexes': m0010,
  '20261122_0011_billing': m0011,
  '20261123_0012_payments': m0012,
  '20261123_0013_arrears_indexes': m0013,
  '20261123_0014_late_fees_and_prepay_bonus': m0014,
  '20261123_0015_rosters': m0015,
  '20261123_0016_patrols': m0016,
  '20261123_0017_equipment': m0017,
  '20261123_0019_cleaning': m0019,
  '20261123_0018_quality': m0018,
  '20261123_0020_rosters_extra': m0020,
};
