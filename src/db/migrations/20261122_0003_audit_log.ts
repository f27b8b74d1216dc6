import { type Kysely, sql } from 'kysely';

// The audit trail is append-only: a trigger refuses UPDATE and DELETE for every database user, so not even a
// bug in the application can rewrite history. (TRUNCATE stays possible for `anju restore`, which replaces all.)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      company_id uuid REFERENCES companies(id),
      actor_id uuid REFERENCES users(id),
      actor_name text,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text,
      before jsonb,
      after jsonb,
      request_id text,
      ip text,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX audit_log_company_at_idx ON audit_log (company_id, at DESC);
    CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);
    CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);

    CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE audit_log; DROP FUNCTION audit_log_immutable()`.execute(db);
}
