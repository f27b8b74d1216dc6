import { type Kysely, sql } from 'kysely';

// Excel import jobs: an upload is validated into a job (report + the normalised rows to write), then applied in
// batches that record their progress on the job row. The rows are cleared once applied.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE import_jobs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      kind text NOT NULL CHECK (kind IN ('rooms', 'parking', 'residents')),
      file_name text NOT NULL,
      status text NOT NULL DEFAULT 'validated' CHECK (status IN ('validated', 'applying', 'applied', 'failed')),
      sheet_rows integer NOT NULL CHECK (sheet_rows >= 0),
      to_create integer NOT NULL DEFAULT 0,
      to_update integer NOT NULL DEFAULT 0,
      unchanged integer NOT NULL DEFAULT 0,
      error_rows integer NOT NULL DEFAULT 0,
      -- Apply progress: rows written so far out of the rows to write.
      processed integer NOT NULL DEFAULT 0,
      total integer NOT NULL DEFAULT 0,
      skip_errors boolean NOT NULL DEFAULT false,
      report jsonb NOT NULL DEFAULT '{}',
      rows jsonb NOT NULL DEFAULT '[]',
      result jsonb,
      error text,
      created_by uuid REFERENCES users(id),
      applied_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      CHECK (processed >= 0 AND processed <= total)
    );
    CREATE INDEX import_jobs_company_idx ON import_jobs (company_id, created_at DESC);
    CREATE INDEX import_jobs_community_idx ON import_jobs (community_id);
    CREATE INDEX import_jobs_created_by_idx ON import_jobs (created_by);
    CREATE INDEX import_jobs_applied_by_idx ON import_jobs (applied_by);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE import_jobs`.execute(db);
}
