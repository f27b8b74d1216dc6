import { type Kysely, sql } from 'kysely';

// Cleaning 保洁 and greening 绿化 schedules: areas of a community with a responsible team (a department and/or a post
// of the roster), the work items of each area with their frequency (bins twice a day at 08:00 and 15:00, handrails
// on Tuesdays and Fridays, pavilions on the 1st and 16th, tree pruning once a year), and the tasks generated from
// them — exactly once per item, business date and slot (the unique key) — with their completion (check-in, photos,
// note), done late, or missed.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE cleaning_areas (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
      kind text NOT NULL CHECK (kind IN ('cleaning', 'greening')),
      building_id uuid REFERENCES buildings(id),
      zone_id uuid REFERENCES zones(id),
      department_id uuid REFERENCES departments(id),
      post_id uuid REFERENCES posts(id),
      -- When true, completing a task of the area needs its printed QR code scanned on the spot.
      qr_required boolean NOT NULL DEFAULT false,
      note text CHECK (length(note) <= 500),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (community_id, name)
    );
    CREATE INDEX cleaning_areas_company_idx ON cleaning_areas (company_id, community_id);
    CREATE INDEX cleaning_areas_building_idx ON cleaning_areas (building_id);
    CREATE INDEX cleaning_areas_zone_idx ON cleaning_areas (zone_id);
    CREATE INDEX cleaning_areas_department_idx ON cleaning_areas (department_id);
    CREATE INDEX cleaning_areas_post_idx ON cleaning_areas (post_id);

    -- A work item: on each day the frequency selects, one task per slot time, to be done within window_minutes of
    -- the slot's start. weekdays are ISO (1 = Monday); month_day is clamped to the month's last day; month is for
    -- yearly items.
    CREATE TABLE cleaning_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      area_id uuid NOT NULL REFERENCES cleaning_areas(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
      preset text,
      frequency text NOT NULL CHECK (frequency IN ('daily', 'weekly', 'halfMonthly', 'monthly', 'yearly')),
      times text[] NOT NULL CHECK (cardinality(times) BETWEEN 1 AND 24),
      window_minutes integer NOT NULL CHECK (window_minutes BETWEEN 10 AND 44640),
      weekdays smallint[] NOT NULL DEFAULT '{}',
      month_day smallint CHECK (month_day BETWEEN 1 AND 31),
      month smallint CHECK (month BETWEEN 1 AND 12),
      shift_id uuid REFERENCES shifts(id),
      photo_required boolean NOT NULL DEFAULT false,
      standard text CHECK (length(standard) <= 200),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX cleaning_items_area_idx ON cleaning_items (area_id);
    CREATE INDEX cleaning_items_community_idx ON cleaning_items (company_id, community_id) WHERE active;
    CREATE INDEX cleaning_items_shift_idx ON cleaning_items (shift_id);

    CREATE TABLE cleaning_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      area_id uuid NOT NULL REFERENCES cleaning_areas(id),
      item_id uuid NOT NULL REFERENCES cleaning_items(id),
      day date NOT NULL,
      slot smallint NOT NULL,
      starts_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      -- After due_at a task can still be done (late) until closes_at; then the sweep marks it missed.
      closes_at timestamptz NOT NULL,
      shift_id uuid REFERENCES shifts(id),
      post_id uuid REFERENCES posts(id),
      department_id uuid REFERENCES departments(id),
      -- The person the roster put on the shift/post; null when nobody was rostered (the team's task).
      assignee_id uuid REFERENCES users(id),
      photo_required boolean NOT NULL DEFAULT false,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'missed')),
      late boolean NOT NULL DEFAULT false,
      done_at timestamptz,
      done_by uuid REFERENCES users(id),
      check_in text CHECK (check_in IN ('qr', 'manual')),
      note text CHECK (length(note) <= 500),
      client_id text CHECK (length(client_id) BETWEEN 8 AND 64),
      missed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (item_id, day, slot),
      CHECK (due_at > starts_at AND closes_at >= due_at),
      CHECK ((status = 'done') = (done_at IS NOT NULL))
    );
    CREATE INDEX cleaning_tasks_community_day_idx ON cleaning_tasks (company_id, community_id, day);
    CREATE INDEX cleaning_tasks_area_idx ON cleaning_tasks (area_id, day);
    CREATE INDEX cleaning_tasks_assignee_idx ON cleaning_tasks (assignee_id, day);
    CREATE INDEX cleaning_tasks_open_idx ON cleaning_tasks (closes_at) WHERE status = 'open';
    CREATE INDEX cleaning_tasks_shift_idx ON cleaning_tasks (shift_id);
    CREATE INDEX cleaning_tasks_post_idx ON cleaning_tasks (post_id);
    CREATE INDEX cleaning_tasks_department_idx ON cleaning_tasks (department_id);
    CREATE INDEX cleaning_tasks_done_by_idx ON cleaning_tasks (done_by);
    CREATE UNIQUE INDEX cleaning_tasks_client_idx ON cleaning_tasks (company_id, client_id) WHERE client_id IS NOT NULL;

    CREATE TABLE cleaning_task_photos (
      task_id uuid NOT NULL REFERENCES cleaning_tasks(id),
      file_id uuid NOT NULL REFERENCES files(id),
      company_id uuid NOT NULL REFERENCES companies(id),
      PRIMARY KEY (task_id, file_id)
    );
    CREATE INDEX cleaning_task_photos_file_idx ON cleaning_task_photos (file_id);
    CREATE INDEX cleaning_task_photos_company_idx ON cleaning_task_photos (company_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE cleaning_task_photos, cleaning_tasks, cleaning_items, cleaning_areas`.execute(db);
}
