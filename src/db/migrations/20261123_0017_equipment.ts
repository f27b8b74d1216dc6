import { type Kysely, sql } from 'kysely';

// Field operations: the equipment ledger (设备台账) with its status history and fault tickets, maintenance plans and the
// tasks generated from them, statutory inspections (年检, 检测, 校验) with their records and the alerts sent before they
// fall due. Categories, cycles and statutory check kinds are catalogues in code (modules/equipment/catalogue.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE equipment (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      code text NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      category text NOT NULL CHECK (category ~ '^[a-z]{2,20}$'),
      location text NOT NULL DEFAULT '',
      building_id uuid REFERENCES buildings(id),
      model text,
      serial_no text,
      manufacturer text,
      made_on date,
      installed_on date,
      -- Key nameplate figures as label/value pairs: 额定载重 1000 kg, 额定功率 45 kW.
      specs jsonb NOT NULL DEFAULT '[]',
      vendor text,
      contractor_name text,
      contractor_phone text,
      responsible_id uuid REFERENCES users(id),
      status text NOT NULL DEFAULT 'normal' CHECK (status IN ('normal', 'fault', 'stopped')),
      status_changed_at timestamptz NOT NULL DEFAULT now(),
      note text,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (community_id, code),
      CHECK (installed_on IS NULL OR made_on IS NULL OR installed_on >= made_on)
    );
    CREATE INDEX equipment_company_idx ON equipment (company_id, community_id, category);
    CREATE INDEX equipment_building_idx ON equipment (building_id);
    CREATE INDEX equipment_responsible_idx ON equipment (responsible_id);

    -- Every status change: who, when, why, and the ticket that reported a fault.
    CREATE TABLE equipment_status_history (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      equipment_id uuid NOT NULL REFERENCES equipment(id) ON DELETE CASCADE,
      from_status text,
      to_status text NOT NULL,
      reason text NOT NULL DEFAULT '',
      ticket_id uuid REFERENCES tickets(id),
      changed_by uuid REFERENCES users(id),
      changed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX equipment_status_history_equipment_idx ON equipment_status_history (equipment_id, changed_at);
    CREATE INDEX equipment_status_history_ticket_idx ON equipment_status_history (ticket_id);
    CREATE INDEX equipment_status_history_company_idx ON equipment_status_history (company_id, changed_at);

    CREATE TABLE equipment_attachments (
      equipment_id uuid NOT NULL REFERENCES equipment(id) ON DELETE CASCADE,
      file_id uuid NOT NULL REFERENCES files(id),
      company_id uuid NOT NULL REFERENCES companies(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (equipment_id, file_id)
    );
    CREATE INDEX equipment_attachments_file_idx ON equipment_attachments (file_id);

    -- Faults and repairs: the service-desk tickets about an item (reported from its page or from a maintenance task).
    CREATE TABLE equipment_tickets (
      equipment_id uuid NOT NULL REFERENCES equipment(id) ON DELETE CASCADE,
      ticket_id uuid NOT NULL REFERENCES tickets(id),
      company_id uuid NOT NULL REFERENCES companies(id),
      source text NOT NULL CHECK (source IN ('report', 'task')),
      task_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (equipment_id, ticket_id)
    );
    CREATE INDEX equipment_tickets_ticket_idx ON equipment_tickets (ticket_id);
    CREATE INDEX equipment_tickets_company_idx ON equipment_tickets (company_id, created_at);

    -- A maintenance plan: one item, or every item of a category in a community; a cycle counted from start_on.
    CREATE TABLE maintenance_plans (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      equipment_id uuid REFERENCES equipment(id),
      category text,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      cycle text NOT NULL CHECK (cycle IN ('daily', 'weekly', 'monthly', 'quarterly', 'halfYearly', 'yearly', 'everyNDays', 'everyNMonths', 'everyNYears')),
      interval integer NOT NULL DEFAULT 1 CHECK (interval BETWEEN 1 AND 366),
      start_on date NOT NULL,
      end_on date,
      checklist jsonb NOT NULL DEFAULT '[]',
      assignee_id uuid REFERENCES users(id),
      post_id uuid REFERENCES posts(id),
      lead_days integer NOT NULL DEFAULT 0 CHECK (lead_days BETWEEN 0 AND 60),
      active boolean NOT NULL DEFAULT true,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((equipment_id IS NULL) <> (category IS NULL)),
      CHECK (end_on IS NULL OR end_on >= start_on)
    );
    CREATE INDEX maintenance_plans_company_idx ON maintenance_plans (company_id, community_id) WHERE active;
    CREATE INDEX maintenance_plans_equipment_idx ON maintenance_plans (equipment_id);
    CREATE INDEX maintenance_plans_assignee_idx ON maintenance_plans (assignee_id);
    CREATE INDEX maintenance_plans_post_idx ON maintenance_plans (post_id);

    -- A task of a plan for one item and one due date; the unique key makes generation exactly once.
    CREATE TABLE maintenance_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      plan_id uuid NOT NULL REFERENCES maintenance_plans(id),
      equipment_id uuid NOT NULL REFERENCES equipment(id),
      due_on date NOT NULL,
      title text NOT NULL,
      checklist jsonb NOT NULL DEFAULT '[]',
      assignee_id uuid REFERENCES users(id),
      post_id uuid REFERENCES posts(id),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
      answers jsonb,
      photo_file_ids uuid[] NOT NULL DEFAULT '{}',
      abnormal boolean NOT NULL DEFAULT false,
      note text,
      done_by uuid REFERENCES users(id),
      done_at timestamptz,
      ticket_id uuid REFERENCES tickets(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (plan_id, equipment_id, due_on)
    );
    CREATE INDEX maintenance_tasks_community_idx ON maintenance_tasks (company_id, community_id, due_on);
    CREATE INDEX maintenance_tasks_open_idx ON maintenance_tasks (community_id, due_on) WHERE status = 'open';
    CREATE INDEX maintenance_tasks_equipment_idx ON maintenance_tasks (equipment_id, due_on);
    CREATE INDEX maintenance_tasks_assignee_idx ON maintenance_tasks (assignee_id, status);
    CREATE INDEX maintenance_tasks_post_idx ON maintenance_tasks (post_id);
    CREATE INDEX maintenance_tasks_done_by_idx ON maintenance_tasks (done_by);
    CREATE INDEX maintenance_tasks_ticket_idx ON maintenance_tasks (ticket_id);

    -- A statutory inspection or calibration an item is subject to (电梯年检, 防雷检测, 安全阀校验 …) and when it is next due.
    CREATE TABLE equipment_inspections (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      equipment_id uuid NOT NULL REFERENCES equipment(id),
      kind text NOT NULL CHECK (kind ~ '^[A-Za-z]{2,30}$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
      cycle_months integer NOT NULL CHECK (cycle_months BETWEEN 1 AND 120),
      agency text,
      next_due_on date NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (equipment_id, kind)
    );
    CREATE INDEX equipment_inspections_due_idx ON equipment_inspections (company_id, community_id, next_due_on) WHERE active;

    CREATE TABLE inspection_records (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      inspection_id uuid NOT NULL REFERENCES equipment_inspections(id),
      equipment_id uuid NOT NULL REFERENCES equipment(id),
      inspected_on date NOT NULL,
      certificate_no text,
      result text NOT NULL CHECK (result IN ('passed', 'conditional', 'failed')),
      agency text,
      next_due_on date NOT NULL,
      note text,
      file_id uuid REFERENCES files(id),
      recorded_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (next_due_on > inspected_on)
    );
    CREATE INDEX inspection_records_inspection_idx ON inspection_records (inspection_id, inspected_on);
    CREATE INDEX inspection_records_equipment_idx ON inspection_records (equipment_id);
    CREATE INDEX inspection_records_file_idx ON inspection_records (file_id);

    -- Alerts before a due date (30 and 7 days): one row per inspection, due date and threshold, so each is sent once.
    CREATE TABLE inspection_alerts (
      inspection_id uuid NOT NULL REFERENCES equipment_inspections(id) ON DELETE CASCADE,
      due_on date NOT NULL,
      days_before integer NOT NULL,
      company_id uuid NOT NULL REFERENCES companies(id),
      sent_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (inspection_id, due_on, days_before)
    );
    CREATE INDEX inspection_alerts_company_idx ON inspection_alerts (company_id);
  `.execute(db);
  // Guards and cleaners open an equipment label on their rounds and report a fault from it.
  await sql`
    UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ARRAY['equipment.read']::text[]) ORDER BY 1), updated_at = now()
     WHERE builtin_key IN ('security', 'cleaner')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE inspection_alerts, inspection_records, equipment_inspections, maintenance_tasks, maintenance_plans, equipment_tickets, equipment_attachments, equipment_status_history, equipment`.execute(db);
}
