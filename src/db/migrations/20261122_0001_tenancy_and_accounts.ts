import { type Kysely, sql } from 'kysely';

// Companies (物业公司) are the tenants; communities (小区) belong to one company. Staff, owners and the platform
// operator are all `users`, told apart by `kind`. Every table holding company data carries company_id.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE companies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      code text NOT NULL UNIQUE,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
      contact_phone text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE communities (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      name text NOT NULL,
      code text NOT NULL,
      address text,
      time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, code),
      UNIQUE (company_id, name)
    );
    CREATE INDEX communities_company_idx ON communities (company_id);

    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid REFERENCES companies(id),
      kind text NOT NULL CHECK (kind IN ('operator', 'staff', 'owner')),
      username text,
      display_name text NOT NULL,
      phone text,
      password_hash text,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
      all_communities boolean NOT NULL DEFAULT false,
      must_change_password boolean NOT NULL DEFAULT false,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'operator') = (company_id IS NULL)),
      CHECK (kind = 'owner' OR username IS NOT NULL),
      CHECK (kind <> 'owner' OR phone IS NOT NULL)
    );
    CREATE UNIQUE INDEX users_username_key ON users (lower(username)) WHERE username IS NOT NULL;
    CREATE UNIQUE INDEX users_owner_phone_key ON users (company_id, phone) WHERE kind = 'owner';
    CREATE INDEX users_company_idx ON users (company_id);
    CREATE INDEX users_phone_idx ON users (phone);

    CREATE TABLE roles (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      name text NOT NULL,
      builtin_key text,
      description text,
      permissions text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, name),
      UNIQUE (company_id, builtin_key)
    );

    CREATE TABLE user_roles (
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role_id uuid NOT NULL REFERENCES roles(id),
      PRIMARY KEY (user_id, role_id)
    );
    CREATE INDEX user_roles_role_idx ON user_roles (role_id);

    CREATE TABLE user_communities (
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      community_id uuid NOT NULL REFERENCES communities(id),
      PRIMARY KEY (user_id, community_id)
    );
    CREATE INDEX user_communities_community_idx ON user_communities (community_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE user_communities, user_roles, roles, users, communities, companies`.execute(db);
}
