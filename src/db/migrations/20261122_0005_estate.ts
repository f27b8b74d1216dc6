import { type Kysely, sql } from 'kysely';

// The property structure: community details, phases/groups, zones, common parts, buildings, unit entrances,
// rooms (rows, never JSON) with a status history, and parking spaces. Every table carries company_id and every
// foreign key is indexed.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE communities
      ADD COLUMN province_code text,
      ADD COLUMN city_code text,
      ADD COLUMN district_code text,
      ADD COLUMN land_area numeric(14,2) CHECK (land_area IS NULL OR land_area > 0),
      ADD COLUMN building_area numeric(14,2) CHECK (building_area IS NULL OR building_area > 0),
      ADD COLUMN green_area numeric(14,2) CHECK (green_area IS NULL OR green_area >= 0),
      ADD COLUMN service_level text CHECK (service_level IN ('level1', 'level2', 'level3')),
      ADD COLUMN management_mode text CHECK (management_mode IN ('professional', 'simple', 'selfGoverned', 'villageManaged', 'unmanaged')),
      ADD COLUMN community_type text CHECK (community_type IN ('commercial', 'resettlement', 'enterpriseDorm', 'openOld', 'office')),
      ADD COLUMN enclosed boolean NOT NULL DEFAULT true;

    CREATE TABLE phases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      name text NOT NULL,
      kind text NOT NULL DEFAULT 'phase' CHECK (kind IN ('phase', 'group')),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (community_id, name)
    );
    CREATE INDEX phases_company_idx ON phases (company_id);

    CREATE TABLE zones (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      name text NOT NULL,
      responsible_user_id uuid REFERENCES users(id),
      note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (community_id, name)
    );
    CREATE INDEX zones_company_idx ON zones (company_id);
    CREATE INDEX zones_responsible_idx ON zones (responsible_user_id);

    CREATE TABLE buildings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      phase_id uuid REFERENCES phases(id),
      zone_id uuid REFERENCES zones(id),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('highRise', 'midRise', 'multiStorey', 'villa', 'office', 'commercial')),
      floors_above integer NOT NULL CHECK (floors_above BETWEEN 1 AND 200),
      floors_below integer NOT NULL DEFAULT 0 CHECK (floors_below BETWEEN 0 AND 20),
      lifts integer NOT NULL DEFAULT 0 CHECK (lifts BETWEEN 0 AND 100),
      sort_order integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (community_id, name)
    );
    CREATE INDEX buildings_company_idx ON buildings (company_id);
    CREATE INDEX buildings_phase_idx ON buildings (phase_id);
    CREATE INDEX buildings_zone_idx ON buildings (zone_id);

    CREATE TABLE building_units (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      building_id uuid NOT NULL REFERENCES buildings(id),
      name text NOT NULL,
      sort_order integer NOT NULL DEFAULT 0,
      UNIQUE (building_id, name)
    );
    CREATE INDEX building_units_company_idx ON building_units (company_id);

    CREATE TABLE common_parts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      zone_id uuid REFERENCES zones(id),
      building_id uuid REFERENCES buildings(id),
      name text NOT NULL,
      kind text NOT NULL,
      location text,
      responsible_user_id uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (community_id, name)
    );
    CREATE INDEX common_parts_company_idx ON common_parts (company_id);
    CREATE INDEX common_parts_zone_idx ON common_parts (zone_id);
    CREATE INDEX common_parts_building_idx ON common_parts (building_id);
    CREATE INDEX common_parts_responsible_idx ON common_parts (responsible_user_id);

    CREATE TABLE rooms (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      building_id uuid NOT NULL REFERENCES buildings(id),
      unit_id uuid REFERENCES building_units(id),
      floor integer NOT NULL CHECK (floor BETWEEN -20 AND 200 AND floor <> 0),
      number text NOT NULL,
      built_area numeric(10,2) NOT NULL CHECK (built_area > 0 AND built_area < 100000),
      inner_area numeric(10,2) CHECK (inner_area IS NULL OR (inner_area > 0 AND inner_area <= built_area)),
      kind text NOT NULL DEFAULT 'residence' CHECK (kind IN ('residence', 'shop', 'office', 'garage', 'storage')),
      status text NOT NULL DEFAULT 'unsold' CHECK (status IN ('unsold', 'vacant', 'delivered', 'renovating', 'occupied', 'rented')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- The natural key of a room: building + unit + number (a room without unit entrance counts once per building).
    CREATE UNIQUE INDEX rooms_natural_key ON rooms (building_id, COALESCE(unit_id, '00000000-0000-0000-0000-000000000000'::uuid), number);
    CREATE INDEX rooms_company_idx ON rooms (company_id);
    CREATE INDEX rooms_community_idx ON rooms (community_id, status);
    CREATE INDEX rooms_unit_idx ON rooms (unit_id);

    CREATE TABLE room_status_history (
      id bigserial PRIMARY KEY,
      company_id uuid NOT NULL REFERENCES companies(id),
      room_id uuid NOT NULL REFERENCES rooms(id),
      from_status text,
      to_status text NOT NULL,
      reason text,
      changed_by uuid REFERENCES users(id),
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX room_status_history_room_idx ON room_status_history (room_id, at);
    CREATE INDEX room_status_history_company_idx ON room_status_history (company_id);
    CREATE INDEX room_status_history_user_idx ON room_status_history (changed_by);

    CREATE TABLE parking_spaces (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      area text NOT NULL CHECK (area IN ('above', 'under')),
      number text NOT NULL,
      kind text NOT NULL DEFAULT 'standard' CHECK (kind IN ('standard', 'large', 'small', 'charging', 'accessible', 'garage')),
      mode text NOT NULL DEFAULT 'shared' CHECK (mode IN ('fixed', 'shared')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (community_id, number)
    );
    CREATE INDEX parking_spaces_company_idx ON parking_spaces (company_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE parking_spaces, room_status_history, rooms, common_parts, building_units, buildings, zones, phases;
    ALTER TABLE communities DROP COLUMN province_code, DROP COLUMN city_code, DROP COLUMN district_code, DROP COLUMN land_area,
      DROP COLUMN building_area, DROP COLUMN green_area, DROP COLUMN service_level, DROP COLUMN management_mode,
      DROP COLUMN community_type, DROP COLUMN enclosed;
  `.execute(db);
}
