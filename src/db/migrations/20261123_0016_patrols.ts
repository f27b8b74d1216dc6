import { type Kysely, sql } from 'kysely';

// Patrols and inspections (巡更/巡检): checkpoints with printed, signed QR labels and their checklists, routes
// (ordered checkpoints), plans (route × shift × frequency → round windows), the tasks the scheduler generates per
// business date and round (exactly once: unique (plan_id, day, round)), their points, and check-ins judged by the
// device's scan time (replays are recognised by the device's client id).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE patrol_checkpoints (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      -- The short number printed on the label (per community), so a guard can say "point 7".
      no integer NOT NULL CHECK (no BETWEEN 1 AND 99999),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
      location text NOT NULL DEFAULT '' CHECK (length(location) <= 200),
      building_id uuid REFERENCES buildings(id),
      kind text NOT NULL CHECK (kind IN ('patrol', 'inspection')),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (community_id, no)
    );
    CREATE INDEX patrol_checkpoints_company_idx ON patrol_checkpoints (company_id, community_id);
    CREATE INDEX patrol_checkpoints_building_idx ON patrol_checkpoints (building_id);

    -- What is checked at a point: 消防栓压力正常 (yes/no, normal = yes), 配电房温度 (number, normal 5–35 ℃), a remark.
    CREATE TABLE patrol_checklist_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      checkpoint_id uuid NOT NULL REFERENCES patrol_checkpoints(id) ON DELETE CASCADE,
      position integer NOT NULL,
      label text NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
      answer_kind text NOT NULL CHECK (answer_kind IN ('yesNo', 'number', 'text')),
      normal_yes boolean,
      min_value double precision,
      max_value double precision,
      unit text CHECK (length(unit) <= 10),
      required boolean NOT NULL DEFAULT true,
      UNIQUE (checkpoint_id, position),
      CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value)
    );
    CREATE INDEX patrol_checklist_items_company_idx ON patrol_checklist_items (company_id);

    CREATE TABLE patrol_routes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
      kind text NOT NULL CHECK (kind IN ('patrol', 'inspection')),
      minutes_per_point integer CHECK (minutes_per_point BETWEEN 1 AND 240),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (community_id, name)
    );
    CREATE INDEX patrol_routes_company_idx ON patrol_routes (company_id, community_id);

    CREATE TABLE patrol_route_points (
      route_id uuid NOT NULL REFERENCES patrol_routes(id) ON DELETE CASCADE,
      position integer NOT NULL,
      checkpoint_id uuid NOT NULL REFERENCES patrol_checkpoints(id),
      company_id uuid NOT NULL REFERENCES companies(id),
      PRIMARY KEY (route_id, position),
      UNIQUE (route_id, checkpoint_id)
    );
    CREATE INDEX patrol_route_points_checkpoint_idx ON patrol_route_points (checkpoint_id);
    CREATE INDEX patrol_route_points_company_idx ON patrol_route_points (company_id);

    -- A plan: a route walked on a shift, N rounds spread over the shift, every N minutes, or at fixed times; each
    -- round has a window (minutes) that must lie inside the shift and not overlap the next round's.
    CREATE TABLE patrol_plans (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
      route_id uuid NOT NULL REFERENCES patrol_routes(id),
      shift_id uuid NOT NULL REFERENCES shifts(id),
      post_id uuid REFERENCES posts(id),
      frequency text NOT NULL CHECK (frequency IN ('rounds', 'interval', 'fixed')),
      rounds integer CHECK (rounds BETWEEN 1 AND 96),
      interval_minutes integer CHECK (interval_minutes BETWEEN 10 AND 1440),
      fixed_times text[] NOT NULL DEFAULT '{}',
      window_minutes integer CHECK (window_minutes BETWEEN 5 AND 1440),
      people_per_round integer NOT NULL DEFAULT 1 CHECK (people_per_round BETWEEN 1 AND 10),
      valid_from date NOT NULL,
      valid_to date,
      supervisor_id uuid REFERENCES users(id),
      active boolean NOT NULL DEFAULT true,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (valid_to IS NULL OR valid_to >= valid_from)
    );
    CREATE INDEX patrol_plans_company_idx ON patrol_plans (company_id, community_id);
    CREATE INDEX patrol_plans_route_idx ON patrol_plans (route_id);
    CREATE INDEX patrol_plans_shift_idx ON patrol_plans (shift_id);
    CREATE INDEX patrol_plans_post_idx ON patrol_plans (post_id);
    CREATE INDEX patrol_plans_supervisor_idx ON patrol_plans (supervisor_id);

    -- One task per plan, business date and round: the key makes generation exactly once however many processes run it.
    CREATE TABLE patrol_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      plan_id uuid NOT NULL REFERENCES patrol_plans(id),
      route_id uuid NOT NULL REFERENCES patrol_routes(id),
      shift_id uuid NOT NULL REFERENCES shifts(id),
      day date NOT NULL,
      round integer NOT NULL,
      window_start timestamptz NOT NULL,
      window_end timestamptz NOT NULL,
      assignee_ids uuid[] NOT NULL DEFAULT '{}',
      -- 'unassigned': nobody on the roster for the shift (and post); 'understaffed': fewer than people_per_round.
      flag text CHECK (flag IN ('unassigned', 'understaffed')),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'partial', 'missed')),
      points_total integer NOT NULL,
      points_done integer NOT NULL DEFAULT 0,
      points_missed integer NOT NULL DEFAULT 0,
      supervisor_notified_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (plan_id, day, round),
      CHECK (window_end > window_start)
    );
    CREATE INDEX patrol_tasks_community_day ON patrol_tasks (community_id, day);
    CREATE INDEX patrol_tasks_company_idx ON patrol_tasks (company_id, day);
    CREATE INDEX patrol_tasks_open_end ON patrol_tasks (window_end) WHERE status = 'open';
    CREATE INDEX patrol_tasks_to_notify ON patrol_tasks (status) WHERE supervisor_notified_at IS NULL AND points_missed > 0;
    CREATE INDEX patrol_tasks_assignees ON patrol_tasks USING gin (assignee_ids);
    CREATE INDEX patrol_tasks_route_idx ON patrol_tasks (route_id);
    CREATE INDEX patrol_tasks_shift_idx ON patrol_tasks (shift_id);

    CREATE TABLE patrol_task_points (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      task_id uuid NOT NULL REFERENCES patrol_tasks(id) ON DELETE CASCADE,
      position integer NOT NULL,
      checkpoint_id uuid NOT NULL REFERENCES patrol_checkpoints(id),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'missed')),
      checkin_id uuid,
      done_at timestamptz,
      UNIQUE (task_id, position)
    );
    CREATE INDEX patrol_task_points_checkpoint_idx ON patrol_task_points (checkpoint_id, status);
    CREATE INDEX patrol_task_points_company_idx ON patrol_task_points (company_id);

    -- A check-in as the device recorded it: scanned_at is the phone's time of the scan (offline check-ins sync
    -- later); client_id is the device's id for it, so a replay returns the first result and counts once.
    CREATE TABLE patrol_checkins (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      client_id uuid NOT NULL,
      user_id uuid NOT NULL REFERENCES users(id),
      checkpoint_id uuid NOT NULL REFERENCES patrol_checkpoints(id),
      task_point_id uuid REFERENCES patrol_task_points(id),
      task_id uuid REFERENCES patrol_tasks(id),
      scanned_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      answers jsonb NOT NULL DEFAULT '[]',
      abnormal boolean NOT NULL DEFAULT false,
      note text CHECK (length(note) <= 500),
      ticket_id uuid REFERENCES tickets(id),
      UNIQUE (company_id, client_id)
    );
    CREATE INDEX patrol_checkins_community_scanned ON patrol_checkins (community_id, scanned_at DESC);
    CREATE INDEX patrol_checkins_user_idx ON patrol_checkins (user_id, scanned_at DESC);
    CREATE INDEX patrol_checkins_checkpoint_idx ON patrol_checkins (checkpoint_id);
    CREATE INDEX patrol_checkins_task_point_idx ON patrol_checkins (task_point_id);
    CREATE INDEX patrol_checkins_task_idx ON patrol_checkins (task_id);
    CREATE INDEX patrol_checkins_ticket_idx ON patrol_checkins (ticket_id);
    -- The two tables reference each other: deferrable, so a restore (backup.ts defers constraints) can load either first.
    ALTER TABLE patrol_task_points ADD CONSTRAINT patrol_task_points_checkin_fk FOREIGN KEY (checkin_id) REFERENCES patrol_checkins(id) DEFERRABLE INITIALLY IMMEDIATE;
    CREATE INDEX patrol_task_points_checkin_idx ON patrol_task_points (checkin_id);

    CREATE TABLE patrol_checkin_photos (
      checkin_id uuid NOT NULL REFERENCES patrol_checkins(id) ON DELETE CASCADE,
      file_id uuid NOT NULL REFERENCES files(id),
      company_id uuid NOT NULL REFERENCES companies(id),
      PRIMARY KEY (checkin_id, file_id)
    );
    CREATE INDEX patrol_checkin_photos_file_idx ON patrol_checkin_photos (file_id);
    CREATE INDEX patrol_checkin_photos_company_idx ON patrol_checkin_photos (company_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE patrol_task_points DROP CONSTRAINT patrol_task_points_checkin_fk`.execute(db);
  await sql`DROP TABLE patrol_checkin_photos, patrol_checkins, patrol_task_points, patrol_tasks, patrol_plans, patrol_route_points, patrol_routes, patrol_checklist_items, patrol_checkpoints`.execute(db);
}
