import { type Kysely, sql } from 'kysely';

// Billing, part one (收费): fee items with their per-community enablement and discounts, which room or parking space
// pays which item from when to when, 空置房 approvals, meters and readings, and bill runs writing one bill line per
// item × target × period. Payments (part two) allocate to bill lines through amount_fen / paid_fen / status.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE billing_settings (
      company_id uuid PRIMARY KEY REFERENCES companies(id),
      -- A reading whose usage exceeds this many times the average of the meter's last three is held for review.
      jump_factor numeric(6,2) NOT NULL DEFAULT 3 CHECK (jump_factor > 1),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE fee_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('property', 'parking', 'water', 'electricity', 'gas', 'shared', 'fixed', 'oneOff', 'rent')),
      -- 元 per unit: per m² per month (property), per space per month (parking), per m³ / kWh (metered, shared),
      -- per month (fixed, rent) or once (oneOff). NULL only for metered items priced by tiers.
      unit_price numeric(14,4) CHECK (unit_price > 0),
      tiers jsonb,
      area_basis text NOT NULL DEFAULT 'built' CHECK (area_basis IN ('built', 'inner')),
      meter_kind text CHECK (meter_kind IN ('water', 'electricity', 'gas')),
      share_method text CHECK (share_method IN ('area', 'household')),
      rounding text NOT NULL DEFAULT 'halfUp' CHECK (rounding IN ('halfUp', 'up', 'down')),
      cycle text NOT NULL DEFAULT 'monthly' CHECK (cycle IN ('monthly', 'quarterly', 'halfYearly', 'yearly')),
      billing_mode text NOT NULL DEFAULT 'prepaid' CHECK (billing_mode IN ('prepaid', 'postpaid')),
      due_from text NOT NULL DEFAULT 'periodStart' CHECK (due_from IN ('periodStart', 'periodEnd')),
      due_days integer NOT NULL DEFAULT 15 CHECK (due_days BETWEEN 0 AND 365),
      prorate boolean NOT NULL DEFAULT true,
      late_fee jsonb,
      rent_increase_percent numeric(7,4) CHECK (rent_increase_percent >= 0),
      rent_increase_every_months integer CHECK (rent_increase_every_months BETWEEN 1 AND 120),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, name),
      CHECK (unit_price IS NOT NULL OR (kind IN ('water', 'electricity', 'gas', 'shared') AND tiers IS NOT NULL)),
      CHECK (kind <> 'shared' OR (meter_kind IS NOT NULL AND share_method IS NOT NULL))
    );

    -- 预交优惠 (pay N months, get M free), 空置房 percent (charged share for approved vacant rooms), fixed 减免.
    CREATE TABLE fee_item_discounts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      item_id uuid NOT NULL REFERENCES fee_items(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('prepay', 'vacancy', 'fixed')),
      pay_months integer CHECK (pay_months BETWEEN 1 AND 120),
      free_months integer CHECK (free_months BETWEEN 1 AND 120),
      percent numeric(5,2) CHECK (percent >= 0 AND percent <= 100),
      reduction_fen integer CHECK (reduction_fen > 0),
      valid_from date,
      valid_to date,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from),
      CHECK ((kind = 'prepay' AND pay_months IS NOT NULL AND free_months IS NOT NULL)
          OR (kind = 'vacancy' AND percent IS NOT NULL)
          OR (kind = 'fixed' AND reduction_fen IS NOT NULL))
    );
    CREATE INDEX fee_item_discounts_item_idx ON fee_item_discounts (item_id);
    CREATE INDEX fee_item_discounts_company_idx ON fee_item_discounts (company_id);

    -- An item is billed only in the communities it is enabled in, optionally at a community price and automatically
    -- on a day of the month.
    CREATE TABLE fee_item_communities (
      item_id uuid NOT NULL REFERENCES fee_items(id) ON DELETE CASCADE,
      community_id uuid NOT NULL REFERENCES communities(id),
      company_id uuid NOT NULL REFERENCES companies(id),
      unit_price numeric(14,4) CHECK (unit_price > 0),
      auto_bill_day integer CHECK (auto_bill_day BETWEEN 1 AND 28),
      PRIMARY KEY (item_id, community_id)
    );
    CREATE INDEX fee_item_communities_community_idx ON fee_item_communities (community_id);
    CREATE INDEX fee_item_communities_company_idx ON fee_item_communities (company_id);

    -- Who pays what from when: a room (property, metered, shared, fixed, rent, one-off) or a parking space (parking,
    -- fixed, rent, one-off). Dates are inclusive business dates; overlapping bindings of one item and target are
    -- refused by the service.
    CREATE TABLE fee_bindings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      item_id uuid NOT NULL REFERENCES fee_items(id),
      room_id uuid REFERENCES rooms(id),
      parking_space_id uuid REFERENCES parking_spaces(id),
      target_id uuid GENERATED ALWAYS AS (COALESCE(room_id, parking_space_id)) STORED,
      start_date date NOT NULL,
      end_date date,
      unit_price numeric(14,4) CHECK (unit_price > 0),
      note text,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((room_id IS NULL) <> (parking_space_id IS NULL)),
      CHECK (end_date IS NULL OR end_date >= start_date)
    );
    CREATE INDEX fee_bindings_run_idx ON fee_bindings (community_id, target_id, item_id);
    CREATE INDEX fee_bindings_item_idx ON fee_bindings (item_id, target_id);
    CREATE INDEX fee_bindings_room_idx ON fee_bindings (room_id);
    CREATE INDEX fee_bindings_space_idx ON fee_bindings (parking_space_id);
    CREATE INDEX fee_bindings_company_idx ON fee_bindings (company_id);
    CREATE INDEX fee_bindings_user_idx ON fee_bindings (created_by);

    -- 空置房认定: a vacant room approved for the vacancy discount from start_date to end_date (open = until ended).
    CREATE TABLE vacancy_approvals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      room_id uuid NOT NULL REFERENCES rooms(id),
      start_date date NOT NULL,
      end_date date,
      note text,
      approved_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (end_date IS NULL OR end_date >= start_date)
    );
    CREATE INDEX vacancy_approvals_room_idx ON vacancy_approvals (room_id, start_date);
    CREATE INDEX vacancy_approvals_community_idx ON vacancy_approvals (community_id);
    CREATE INDEX vacancy_approvals_company_idx ON vacancy_approvals (company_id);
    CREATE INDEX vacancy_approvals_user_idx ON vacancy_approvals (approved_by);

    -- A room's meter, or a building's (room_id NULL: the 公摊 meter shared by the building's rooms). A replaced meter
    -- keeps its final reading and points at its successor, which records its initial reading.
    CREATE TABLE meters (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      building_id uuid NOT NULL REFERENCES buildings(id),
      room_id uuid REFERENCES rooms(id),
      kind text NOT NULL CHECK (kind IN ('water', 'electricity', 'gas')),
      number text NOT NULL,
      multiplier numeric(10,4) NOT NULL DEFAULT 1 CHECK (multiplier > 0),
      initial_reading numeric(14,4) NOT NULL DEFAULT 0 CHECK (initial_reading >= 0),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'replaced')),
      installed_at date,
      -- The two rows of a replacement point at each other: checked at commit, so any insert order works (restores).
      replaces_meter_id uuid REFERENCES meters(id) DEFERRABLE INITIALLY DEFERRED,
      replaced_by_meter_id uuid REFERENCES meters(id) DEFERRABLE INITIALLY DEFERRED,
      final_reading numeric(14,4) CHECK (final_reading >= 0),
      replaced_at date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'replaced') = (final_reading IS NOT NULL AND replaced_at IS NOT NULL))
    );
    CREATE UNIQUE INDEX meters_active_number_key ON meters (community_id, number) WHERE status = 'active';
    CREATE INDEX meters_building_idx ON meters (building_id, kind);
    CREATE INDEX meters_room_idx ON meters (room_id, kind);
    CREATE INDEX meters_company_idx ON meters (company_id);
    CREATE INDEX meters_replaces_idx ON meters (replaces_meter_id);
    CREATE INDEX meters_replaced_by_idx ON meters (replaced_by_meter_id);

    -- One reading per meter and period, entered in period order. usage = (reading − previous) × multiplier, across a
    -- replacement when there was one; a reading held for review is not billed until approved.
    CREATE TABLE meter_readings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      meter_id uuid NOT NULL REFERENCES meters(id),
      period_key text NOT NULL,
      period_start date NOT NULL,
      reading numeric(14,4) NOT NULL CHECK (reading >= 0),
      previous_reading numeric(14,4) NOT NULL,
      usage numeric NOT NULL CHECK (usage >= 0),
      read_at timestamptz NOT NULL DEFAULT now(),
      reader_id uuid REFERENCES users(id),
      reader_name text,
      source text NOT NULL DEFAULT 'console' CHECK (source IN ('console', 'phone', 'xlsx')),
      flags text[] NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'review')),
      approved_by uuid REFERENCES users(id),
      approved_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (meter_id, period_key)
    );
    CREATE INDEX meter_readings_meter_idx ON meter_readings (meter_id, period_start DESC);
    CREATE INDEX meter_readings_community_idx ON meter_readings (community_id, period_key, status);
    CREATE INDEX meter_readings_company_idx ON meter_readings (company_id);
    CREATE INDEX meter_readings_reader_idx ON meter_readings (reader_id);
    CREATE INDEX meter_readings_approver_idx ON meter_readings (approved_by);

    -- A bill run: one community, one period, a set of items. Processed in batches of targets (rooms or spaces, by id);
    -- cursor and processed are saved with each batch, heartbeat_at tells a live run from one whose process died.
    CREATE TABLE bill_runs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      period_key text NOT NULL,
      item_ids uuid[] NOT NULL,
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed', 'revoked')),
      trigger text NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'schedule')),
      total integer NOT NULL DEFAULT 0,
      processed integer NOT NULL DEFAULT 0,
      cursor uuid,
      lines_created integer NOT NULL DEFAULT 0,
      amount_fen bigint NOT NULL DEFAULT 0,
      error text,
      created_by uuid REFERENCES users(id),
      revoked_by uuid REFERENCES users(id),
      started_at timestamptz NOT NULL DEFAULT now(),
      heartbeat_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX bill_runs_community_idx ON bill_runs (community_id, period_key, status);
    CREATE INDEX bill_runs_company_idx ON bill_runs (company_id, created_at DESC);
    CREATE INDEX bill_runs_creator_idx ON bill_runs (created_by);
    CREATE INDEX bill_runs_revoker_idx ON bill_runs (revoked_by);

    -- One line per item × target × period: what is owed, when, and how it was computed (basis). The partial unique key
    -- makes runs idempotent (INSERT … ON CONFLICT DO NOTHING); a revoked line frees its key for a new run.
    -- target_id is the room, the parking space, the meter (metered items) or the binding (one-off items).
    CREATE TABLE bill_lines (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      run_id uuid NOT NULL REFERENCES bill_runs(id),
      item_id uuid NOT NULL REFERENCES fee_items(id),
      target_kind text NOT NULL CHECK (target_kind IN ('room', 'parkingSpace', 'meter', 'binding')),
      target_id uuid NOT NULL,
      building_id uuid REFERENCES buildings(id),
      room_id uuid REFERENCES rooms(id),
      parking_space_id uuid REFERENCES parking_spaces(id),
      meter_id uuid REFERENCES meters(id),
      reading_id uuid REFERENCES meter_readings(id),
      period_key text NOT NULL,
      period_start date NOT NULL,
      period_end date NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      paid_fen bigint NOT NULL DEFAULT 0 CHECK (paid_fen >= 0 AND paid_fen <= amount_fen),
      status text NOT NULL DEFAULT 'unpaid' CHECK (status IN ('unpaid', 'partial', 'paid', 'revoked')),
      due_date date NOT NULL,
      basis jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      CHECK (status = 'revoked'
          OR (status = 'unpaid' AND paid_fen = 0)
          OR (status = 'partial' AND paid_fen > 0 AND paid_fen < amount_fen)
          OR (status = 'paid' AND paid_fen = amount_fen))
    );
    CREATE UNIQUE INDEX bill_lines_key ON bill_lines (company_id, item_id, target_id, period_key) WHERE status <> 'revoked';
    CREATE INDEX bill_lines_run_idx ON bill_lines (run_id);
    CREATE INDEX bill_lines_item_idx ON bill_lines (item_id, period_start);
    CREATE INDEX bill_lines_community_idx ON bill_lines (community_id, period_key, status);
    CREATE INDEX bill_lines_building_idx ON bill_lines (building_id, period_key);
    CREATE INDEX bill_lines_room_idx ON bill_lines (room_id, period_start);
    CREATE INDEX bill_lines_space_idx ON bill_lines (parking_space_id, period_start);
    CREATE INDEX bill_lines_meter_idx ON bill_lines (meter_id);
    CREATE INDEX bill_lines_reading_idx ON bill_lines (reading_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE bill_lines, bill_runs, meter_readings, meters, vacancy_approvals, fee_bindings, fee_item_communities,
      fee_item_discounts, fee_items, billing_settings;
  `.execute(db);
}
