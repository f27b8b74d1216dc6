import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- Every SMS goes through the outbox first; the built-in provider stops there, a real one sends and marks it.
    CREATE TABLE sms_outbox (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid REFERENCES companies(id),
      phone text NOT NULL,
      template text NOT NULL,
      params jsonb NOT NULL DEFAULT '{}',
      body text NOT NULL,
      provider text NOT NULL,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'stored')),
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    );
    CREATE INDEX sms_outbox_company_idx ON sms_outbox (company_id, created_at DESC);

    -- One row per job, scope and period: the unique key is what makes a periodic job run exactly once
    -- however many server processes share the database.
    CREATE TABLE job_runs (
      id bigserial PRIMARY KEY,
      job text NOT NULL,
      scope text NOT NULL,
      period_key text NOT NULL,
      company_id uuid REFERENCES companies(id),
      instance_id text NOT NULL,
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
      error text,
      result jsonb,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      UNIQUE (job, scope, period_key)
    );
    CREATE INDEX job_runs_company_idx ON job_runs (company_id, started_at DESC);

    CREATE TABLE files (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid REFERENCES companies(id),
      uploaded_by uuid REFERENCES users(id),
      storage_key text NOT NULL UNIQUE,
      thumb_key text,
      original_name text NOT NULL,
      mime_type text NOT NULL,
      size_bytes integer NOT NULL,
      width integer,
      height integer,
      sha256 text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX files_company_idx ON files (company_id);
    CREATE INDEX files_uploaded_by_idx ON files (uploaded_by);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE files, job_runs, sms_outbox`.execute(db);
}
