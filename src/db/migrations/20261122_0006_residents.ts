import { type Kysely, sql } from 'kysely';

// Residents (people), their links to rooms as owner / family member / tenant with dates, vehicles, parking-space
// holdings, the owners' committee, move-in records with the joint inspection checklist, and owner-submitted
// household requests awaiting staff approval.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE residents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      name text NOT NULL,
      phone text,
      id_type text NOT NULL DEFAULT 'idCard' CHECK (id_type IN ('idCard', 'passport', 'hkMacauPermit', 'taiwanPermit', 'foreignPermit', 'other')),
      id_number text,
      gender text CHECK (gender IN ('male', 'female')),
      birthday date,
      care_flags text[] NOT NULL DEFAULT '{}',
      profile_note text,
      safety_note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- A phone number identifies one resident within a company (the natural key for imports).
    CREATE UNIQUE INDEX residents_phone_key ON residents (company_id, phone) WHERE phone IS NOT NULL;
    CREATE UNIQUE INDEX residents_id_number_key ON residents (company_id, id_type, id_number) WHERE id_number IS NOT NULL;
    -- Front desks search by the last four digits of a phone number.
    CREATE INDEX residents_phone_suffix_idx ON residents (company_id, right(phone, 4));
    CREATE INDEX residents_name_idx ON residents (company_id, name text_pattern_ops);
    CREATE INDEX residents_community_idx ON residents (community_id);

    CREATE TABLE room_residents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      room_id uuid NOT NULL REFERENCES rooms(id),
      resident_id uuid NOT NULL REFERENCES residents(id),
      relation text NOT NULL CHECK (relation IN ('owner', 'family', 'tenant')),
      share_percent numeric(5,2) CHECK (share_percent IS NULL OR (share_percent > 0 AND share_percent <= 100)),
      start_date date NOT NULL,
      end_date date,
      move_in_date date,
      warranty_end date,
      lease_start date,
      lease_end date,
      end_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (end_date IS NULL OR end_date >= start_date),
      CHECK (lease_end IS NULL OR lease_start IS NULL OR lease_end >= lease_start)
    );
    -- One current link per person and room.
    CREATE UNIQUE INDEX room_residents_current_key ON room_residents (room_id, resident_id) WHERE end_date IS NULL;
    CREATE INDEX room_residents_resident_idx ON room_residents (resident_id);
    CREATE INDEX room_residents_company_idx ON room_residents (company_id);

    CREATE TABLE vehicles (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      resident_id uuid NOT NULL REFERENCES residents(id),
      plate text NOT NULL,
      energy text NOT NULL CHECK (energy IN ('fuel', 'newEnergy')),
      parking_space_id uuid REFERENCES parking_spaces(id),
      brand text,
      color text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, plate)
    );
    CREATE INDEX vehicles_resident_idx ON vehicles (resident_id);
    CREATE INDEX vehicles_space_idx ON vehicles (parking_space_id);
    CREATE INDEX vehicles_community_idx ON vehicles (community_id);

    CREATE TABLE parking_holdings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      parking_space_id uuid NOT NULL REFERENCES parking_spaces(id),
      resident_id uuid NOT NULL REFERENCES residents(id),
      holding text NOT NULL CHECK (holding IN ('sold', 'rented')),
      start_date date NOT NULL,
      end_date date,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (end_date IS NULL OR end_date >= start_date)
    );
    CREATE INDEX parking_holdings_space_idx ON parking_holdings (parking_space_id);
    CREATE INDEX parking_holdings_resident_idx ON parking_holdings (resident_id);
    CREATE INDEX parking_holdings_company_idx ON parking_holdings (company_id);

    CREATE TABLE committee_members (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      resident_id uuid NOT NULL REFERENCES residents(id),
      position text NOT NULL CHECK (position IN ('director', 'deputyDirector', 'member')),
      term_start date NOT NULL,
      term_end date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (term_end > term_start)
    );
    CREATE INDEX committee_members_community_idx ON committee_members (community_id);
    CREATE INDEX committee_members_resident_idx ON committee_members (resident_id);
    CREATE INDEX committee_members_company_idx ON committee_members (company_id);

    CREATE TABLE move_ins (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      room_id uuid NOT NULL REFERENCES rooms(id),
      resident_id uuid NOT NULL REFERENCES residents(id),
      notice_no text NOT NULL,
      contract_no text NOT NULL,
      status text NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'inspected', 'handedOver', 'cancelled')),
      inspected_at timestamptz,
      handed_over_at timestamptz,
      keys_count integer CHECK (keys_count IS NULL OR keys_count BETWEEN 0 AND 50),
      handover_note text,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX move_ins_open_key ON move_ins (room_id) WHERE status IN ('registered', 'inspected');
    CREATE INDEX move_ins_resident_idx ON move_ins (resident_id);
    CREATE INDEX move_ins_company_idx ON move_ins (company_id);
    CREATE INDEX move_ins_created_by_idx ON move_ins (created_by);

    CREATE TABLE move_in_inspection_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      move_in_id uuid NOT NULL REFERENCES move_ins(id),
      area text NOT NULL,
      item text NOT NULL,
      ok boolean NOT NULL,
      defect text,
      photo_file_id uuid REFERENCES files(id),
      CHECK (ok OR defect IS NOT NULL)
    );
    CREATE INDEX move_in_items_move_in_idx ON move_in_inspection_items (move_in_id);
    CREATE INDEX move_in_items_company_idx ON move_in_inspection_items (company_id);
    CREATE INDEX move_in_items_photo_idx ON move_in_inspection_items (photo_file_id);

    CREATE TABLE household_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      room_id uuid NOT NULL REFERENCES rooms(id),
      requested_by uuid NOT NULL REFERENCES users(id),
      name text NOT NULL,
      phone text,
      relation text NOT NULL CHECK (relation IN ('family', 'tenant')),
      lease_start date,
      lease_end date,
      note text,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      decision_note text,
      resident_id uuid REFERENCES residents(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX household_requests_room_idx ON household_requests (room_id);
    CREATE INDEX household_requests_company_idx ON household_requests (company_id, status);
    CREATE INDEX household_requests_requested_by_idx ON household_requests (requested_by);
    CREATE INDEX household_requests_decided_by_idx ON household_requests (decided_by);
    CREATE INDEX household_requests_resident_idx ON household_requests (resident_id);

    -- Owner accounts are linked to resident records by phone within a company.
    ALTER TABLE users ADD COLUMN resident_id uuid REFERENCES residents(id);
    CREATE INDEX users_resident_idx ON users (resident_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE users DROP COLUMN resident_id;
    DROP TABLE household_requests, move_in_inspection_items, move_ins, committee_members, parking_holdings, vehicles, room_residents, residents;
  `.execute(db);
}
