import { type Kysely, sql } from 'kysely';

// Field operations, part one: the staff structure every field module builds on — departments, posts (岗位), shift
// definitions, the roster (排班: who works which shift on which business date, at which post), certificates
// (持证上岗) and training records. Patrol, cleaning and maintenance tasks go to the staff the roster puts on a shift.
// Also the permissions the field modules use, given to the built-in roles of companies that already exist, and the
// built-in role 品质专员.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The key each company signs its printed QR codes with (core/signed-codes.ts); made on first use.
    CREATE TABLE signing_keys (
      company_id uuid PRIMARY KEY REFERENCES companies(id),
      secret text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE departments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
      kind text NOT NULL DEFAULT 'other' CHECK (kind IN ('security', 'cleaning', 'engineering', 'greening', 'service', 'quality', 'admin', 'other')),
      head_id uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, name)
    );

    -- A post (岗位) in a community: 1号岗 (main gate), 监控中心, 巡逻岗, 配电房值班. A 24-hour post must have someone on
    -- every shift of every day; required certificates are checked against the holders (持证上岗).
    CREATE TABLE posts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      department_id uuid NOT NULL REFERENCES departments(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
      round_the_clock boolean NOT NULL DEFAULT false,
      min_staff integer NOT NULL DEFAULT 1 CHECK (min_staff BETWEEN 1 AND 50),
      required_certificates text[] NOT NULL DEFAULT '{}',
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (community_id, name)
    );
    CREATE INDEX posts_company_idx ON posts (company_id, community_id);

    -- Who normally holds a post (the roster board offers them first; 持证上岗 is checked for them).
    CREATE TABLE post_members (
      post_id uuid NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id),
      company_id uuid NOT NULL REFERENCES companies(id),
      PRIMARY KEY (post_id, user_id)
    );
    CREATE INDEX post_members_user_idx ON post_members (user_id);

    -- A shift of a community: 早班 08:00–16:00, 中班 16:00–24:00, 夜班 00:00–08:00, or 22:00–06:00 across midnight
    -- (end_time ≤ start_time). A shift on business date D starts at D start_time in the community's zone.
    CREATE TABLE shifts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 20),
      code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,20}$'),
      start_time time NOT NULL,
      end_time time NOT NULL,
      color text,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (community_id, code),
      CHECK (start_time <> end_time)
    );

    -- The roster: one row per person, business date and shift. A day off is simply no row (or kind 'off' when the
    -- board records it explicitly; 'leave' likewise). One person works one shift of a date at one post.
    CREATE TABLE roster_entries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      day date NOT NULL,
      shift_id uuid REFERENCES shifts(id),
      post_id uuid REFERENCES posts(id),
      user_id uuid NOT NULL REFERENCES users(id),
      kind text NOT NULL DEFAULT 'work' CHECK (kind IN ('work', 'off', 'leave')),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'work' AND shift_id IS NOT NULL) OR kind <> 'work')
    );
    CREATE UNIQUE INDEX roster_entries_person_shift ON roster_entries (user_id, day, shift_id) WHERE kind = 'work';
    CREATE UNIQUE INDEX roster_entries_person_off ON roster_entries (user_id, day) WHERE kind <> 'work';
    CREATE INDEX roster_entries_community_day ON roster_entries (community_id, day, shift_id);

    -- Certificates (保安员证, 电工证, 电梯作业证, 物业经理证, …): kind is a code from the catalogue in the rosters
    -- module; expiry alerts 60 and 30 days before, by the scheduler.
    CREATE TABLE staff_certificates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      user_id uuid NOT NULL REFERENCES users(id),
      kind text NOT NULL CHECK (kind ~ '^[A-Za-z0-9_-]{1,40}$'),
      number text NOT NULL CHECK (length(number) BETWEEN 1 AND 60),
      issuer text,
      issued_on date,
      expires_on date,
      file_id uuid REFERENCES files(id),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      CHECK (expires_on IS NULL OR issued_on IS NULL OR expires_on > issued_on)
    );
    CREATE UNIQUE INDEX staff_certificates_key ON staff_certificates (company_id, kind, number) WHERE revoked_at IS NULL;
    CREATE INDEX staff_certificates_user_idx ON staff_certificates (user_id);
    CREATE INDEX staff_certificates_expiry_idx ON staff_certificates (company_id, expires_on) WHERE revoked_at IS NULL;

    -- Training (培训) with hours in tenths (1.5 h = 15).
    CREATE TABLE training_records (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid REFERENCES communities(id),
      user_id uuid NOT NULL REFERENCES users(id),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
      topic text NOT NULL DEFAULT 'other' CHECK (topic IN ('safety', 'fire', 'service', 'skills', 'law', 'induction', 'other')),
      day date NOT NULL,
      tenth_hours integer NOT NULL CHECK (tenth_hours BETWEEN 1 AND 2400),
      trainer text,
      passed boolean,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX training_records_user_idx ON training_records (user_id, day);
    CREATE INDEX training_records_company_idx ON training_records (company_id, day);
  `.execute(db);

  // The field permissions for the built-in roles of existing companies (new companies get them from the code).
  const grants: Array<[string, string[]]> = [
    ['admin', ['roster.read', 'roster.manage', 'equipment.maintain', 'quality.read', 'quality.rectify', 'cleaning.read', 'cleaning.manage', 'cleaning.work']],
    ['manager', ['roster.read', 'roster.manage', 'equipment.maintain', 'quality.read', 'quality.rectify', 'cleaning.read', 'cleaning.manage', 'cleaning.work']],
    ['technician', ['equipment.maintain', 'quality.rectify', 'roster.read']],
    ['security', ['roster.read', 'quality.rectify']],
    ['cleaner', ['cleaning.read', 'cleaning.work', 'quality.rectify', 'roster.read']],
    ['service', ['quality.rectify']],
  ];
  for (const [key, perms] of grants) {
    await sql`
      UPDATE roles SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || ${perms}::text[]) ORDER BY 1), updated_at = now()
       WHERE builtin_key = ${key}`.execute(db);
  }
  await sql`
    INSERT INTO roles (company_id, name, builtin_key, description, permissions)
    SELECT c.id, '品质专员', 'quality', 'Quality inspector',
           ARRAY['community.read', 'estate.read', 'patrol.read', 'equipment.read', 'quality.read', 'quality.manage', 'cleaning.read', 'roster.read', 'ticket.read', 'ticket.create', 'file.upload']
      FROM companies c
     WHERE NOT EXISTS (SELECT 1 FROM roles r WHERE r.company_id = c.id AND (r.builtin_key = 'quality' OR r.name = '品质专员'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM roles WHERE builtin_key = 'quality' AND NOT EXISTS (SELECT 1 FROM user_roles ur WHERE ur.role_id = roles.id)`.execute(db);
  await sql`DROP TABLE training_records, staff_certificates, roster_entries, shifts, post_members, posts, departments, signing_keys`.execute(db);
}
