import { type Kysely, sql } from 'kysely';

// Quality checks and rectification (品质检查 / 整改): scored checklist templates, schedules that plan inspections,
// inspections with their items snapshotted from the template (so a later edit never changes a past score), findings
// that are at the same time rectification notices (整改通知, numbered ZG2026-000001 per company) with their photos and
// history, reward/penalty records (奖优罚劣) and the stored weekly supervision reports (督导报告).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE quality_templates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
      description text,
      -- Bumped on every change of the items; an inspection keeps the version it was made from.
      version integer NOT NULL DEFAULT 1,
      active boolean NOT NULL DEFAULT true,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, name)
    );

    CREATE TABLE quality_template_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      template_id uuid NOT NULL REFERENCES quality_templates(id) ON DELETE CASCADE,
      sort_order integer NOT NULL,
      label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
      max_points integer NOT NULL CHECK (max_points BETWEEN 1 AND 100),
      department_kind text NOT NULL DEFAULT 'other' CHECK (department_kind IN ('security', 'cleaning', 'engineering', 'greening', 'service', 'quality', 'admin', 'other')),
      guidance text,
      UNIQUE (template_id, sort_order)
    );

    -- Weekly on an ISO weekday (1 = Monday … 7 = Sunday) or monthly on a day (29–31 fall on the month's last day).
    CREATE TABLE quality_schedules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      template_id uuid NOT NULL REFERENCES quality_templates(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
      frequency text NOT NULL CHECK (frequency IN ('weekly', 'monthly')),
      weekday integer CHECK (weekday BETWEEN 1 AND 7),
      month_day integer CHECK (month_day BETWEEN 1 AND 31),
      inspector_id uuid NOT NULL REFERENCES users(id),
      active boolean NOT NULL DEFAULT true,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((frequency = 'weekly' AND weekday IS NOT NULL AND month_day IS NULL) OR (frequency = 'monthly' AND month_day IS NOT NULL AND weekday IS NULL))
    );
    CREATE INDEX quality_schedules_community_idx ON quality_schedules (company_id, community_id);
    CREATE INDEX quality_schedules_template_idx ON quality_schedules (template_id);
    CREATE INDEX quality_schedules_inspector_idx ON quality_schedules (inspector_id);

    CREATE TABLE quality_inspections (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      template_id uuid NOT NULL REFERENCES quality_templates(id),
      template_version integer NOT NULL,
      schedule_id uuid REFERENCES quality_schedules(id),
      -- scheduled (by a schedule), adhoc (ordered, e.g. by the GM), cross (交叉检查: an inspector from another community).
      kind text NOT NULL CHECK (kind IN ('scheduled', 'adhoc', 'cross')),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
      planned_on date NOT NULL,
      inspector_id uuid NOT NULL REFERENCES users(id),
      ordered_by uuid REFERENCES users(id),
      status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'inProgress', 'submitted', 'cancelled')),
      score integer,
      max_score integer NOT NULL,
      note text,
      started_at timestamptz,
      submitted_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- A schedule plans one inspection a date, whichever process runs the job.
    CREATE UNIQUE INDEX quality_inspections_schedule_day ON quality_inspections (schedule_id, planned_on) WHERE schedule_id IS NOT NULL;
    CREATE INDEX quality_inspections_community_idx ON quality_inspections (company_id, community_id, planned_on);
    CREATE INDEX quality_inspections_inspector_idx ON quality_inspections (inspector_id, status);
    CREATE INDEX quality_inspections_template_idx ON quality_inspections (template_id);

    CREATE TABLE quality_inspection_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      inspection_id uuid NOT NULL REFERENCES quality_inspections(id) ON DELETE CASCADE,
      sort_order integer NOT NULL,
      label text NOT NULL,
      max_points integer NOT NULL CHECK (max_points >= 1),
      department_kind text NOT NULL,
      guidance text,
      -- Points taken off on the item itself; findings on the item take off their own deductions as well.
      deducted integer NOT NULL DEFAULT 0 CHECK (deducted >= 0),
      note text,
      UNIQUE (inspection_id, sort_order)
    );

    CREATE TABLE quality_counters (
      company_id uuid NOT NULL REFERENCES companies(id),
      year integer NOT NULL,
      last integer NOT NULL,
      PRIMARY KEY (company_id, year)
    );

    -- A finding of an inspection and the rectification notice it becomes (one row: the finding is the notice's cause).
    CREATE TABLE quality_notices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      no text NOT NULL,
      inspection_id uuid NOT NULL REFERENCES quality_inspections(id),
      item_id uuid REFERENCES quality_inspection_items(id),
      description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
      location text,
      building_id uuid REFERENCES buildings(id),
      deduction integer NOT NULL DEFAULT 0 CHECK (deduction >= 0),
      department_id uuid REFERENCES departments(id),
      assignee_id uuid REFERENCES users(id),
      deadline_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'rectified', 'returned', 'closed', 'cancelled')),
      rectified_at timestamptz,
      rectify_note text,
      closed_at timestamptz,
      -- 0 none, 1 told the department head at the deadline, 2 told the project managers a day later.
      escalation_level integer NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 2),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, no),
      CHECK (department_id IS NOT NULL OR assignee_id IS NOT NULL)
    );
    CREATE INDEX quality_notices_community_idx ON quality_notices (company_id, community_id, status);
    CREATE INDEX quality_notices_inspection_idx ON quality_notices (inspection_id);
    CREATE INDEX quality_notices_item_idx ON quality_notices (item_id);
    CREATE INDEX quality_notices_building_idx ON quality_notices (building_id);
    CREATE INDEX quality_notices_department_idx ON quality_notices (department_id);
    CREATE INDEX quality_notices_assignee_idx ON quality_notices (assignee_id);
    CREATE INDEX quality_notices_due_idx ON quality_notices (deadline_at) WHERE status IN ('open', 'returned');

    CREATE TABLE quality_notice_photos (
      notice_id uuid NOT NULL REFERENCES quality_notices(id) ON DELETE CASCADE,
      file_id uuid NOT NULL REFERENCES files(id),
      company_id uuid NOT NULL REFERENCES companies(id),
      stage text NOT NULL CHECK (stage IN ('finding', 'rectify')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (notice_id, file_id)
    );
    CREATE INDEX quality_notice_photos_file_idx ON quality_notice_photos (file_id);

    CREATE TABLE quality_notice_events (
      id bigserial PRIMARY KEY,
      company_id uuid NOT NULL REFERENCES companies(id),
      notice_id uuid NOT NULL REFERENCES quality_notices(id) ON DELETE CASCADE,
      at timestamptz NOT NULL DEFAULT now(),
      actor_id uuid REFERENCES users(id),
      actor_name text,
      action text NOT NULL,
      from_status text,
      to_status text,
      note text,
      payload jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX quality_notice_events_notice_idx ON quality_notice_events (notice_id, id);
    CREATE INDEX quality_notice_events_actor_idx ON quality_notice_events (actor_id);

    -- 奖优罚劣: points and/or an amount in 分, to a person or a department, with its reason and source.
    CREATE TABLE quality_rewards (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      kind text NOT NULL CHECK (kind IN ('reward', 'penalty')),
      user_id uuid REFERENCES users(id),
      department_id uuid REFERENCES departments(id),
      points integer CHECK (points BETWEEN 1 AND 100),
      amount_fen integer CHECK (amount_fen BETWEEN 1 AND 100000000),
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
      inspection_id uuid REFERENCES quality_inspections(id),
      notice_id uuid REFERENCES quality_notices(id),
      occurred_on date NOT NULL,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (user_id IS NOT NULL OR department_id IS NOT NULL),
      CHECK (points IS NOT NULL OR amount_fen IS NOT NULL)
    );
    CREATE INDEX quality_rewards_community_idx ON quality_rewards (company_id, community_id, occurred_on);
    CREATE INDEX quality_rewards_user_idx ON quality_rewards (user_id);
    CREATE INDEX quality_rewards_department_idx ON quality_rewards (department_id);
    CREATE INDEX quality_rewards_inspection_idx ON quality_rewards (inspection_id);
    CREATE INDEX quality_rewards_notice_idx ON quality_rewards (notice_id);
    CREATE INDEX quality_rewards_created_by_idx ON quality_rewards (created_by);

    -- The weekly supervision report (督导报告) of a community, compiled by the weekly job or on demand.
    CREATE TABLE quality_reports (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      week_start date NOT NULL,
      data jsonb NOT NULL,
      compiled_at timestamptz NOT NULL DEFAULT now(),
      compiled_by uuid REFERENCES users(id),
      UNIQUE (community_id, week_start)
    );
    CREATE INDEX quality_reports_company_idx ON quality_reports (company_id, week_start);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE quality_reports, quality_rewards, quality_notice_events, quality_notice_photos, quality_notices, quality_counters,
    quality_inspection_items, quality_inspections, quality_schedules, quality_template_items, quality_templates`.execute(db);
}
