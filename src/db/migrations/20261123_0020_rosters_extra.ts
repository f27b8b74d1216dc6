import { type Kysely, sql } from 'kysely';

// Certificate expiry alerts (60 and 30 days before, and on the day): one row per certificate and stage, so the
// daily job sends each alert once however often it runs and on however many processes. A renewal (a new expiry
// date) deletes the rows and the alerts start afresh.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE certificate_alerts (
      certificate_id uuid NOT NULL REFERENCES staff_certificates(id) ON DELETE CASCADE,
      stage integer NOT NULL CHECK (stage IN (60, 30, 0)),
      company_id uuid NOT NULL REFERENCES companies(id),
      expires_on date NOT NULL,
      sent_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (certificate_id, stage)
    );
    CREATE INDEX certificate_alerts_company_idx ON certificate_alerts (company_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE certificate_alerts`.execute(db);
}
