import { type Kysely, sql } from 'kysely';

// The service desk (报事报修): the working-day calendar, per-company settings, categories, time-limit policies,
// dispatch groups and rules, tickets with their four clocks, the timeline, attachments, committee approvals,
// return visits, in-app notifications and saved queue views.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- The PRC calendar: statutory holidays and make-up working days (调休). Rows with company_id NULL are the
    -- shipped calendar; a company's own rows override them for the same day. A year counts as known when it is
    -- listed in calendar_years (shipped or added by the company's administrators).
    CREATE TABLE calendar_days (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid REFERENCES companies(id),
      day date NOT NULL,
      kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
      name text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX calendar_days_shipped_key ON calendar_days (day) WHERE company_id IS NULL;
    CREATE UNIQUE INDEX calendar_days_company_key ON calendar_days (company_id, day) WHERE company_id IS NOT NULL;
    CREATE TABLE calendar_years (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid REFERENCES companies(id),
      year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX calendar_years_shipped_key ON calendar_years (year) WHERE company_id IS NULL;
    CREATE UNIQUE INDEX calendar_years_company_key ON calendar_years (company_id, year) WHERE company_id IS NOT NULL;

    CREATE TABLE service_desk_settings (
      company_id uuid PRIMARY KEY REFERENCES companies(id),
      business_start text NOT NULL DEFAULT '08:30',
      business_end text NOT NULL DEFAULT '17:30',
      lunch_start text DEFAULT '12:00',
      lunch_end text DEFAULT '13:30',
      half_day_hours integer NOT NULL DEFAULT 4 CHECK (half_day_hours BETWEEN 1 AND 12),
      half_day_on text NOT NULL DEFAULT 'everyDay' CHECK (half_day_on IN ('everyDay', 'workingDays')),
      at_risk_percent integer NOT NULL DEFAULT 80 CHECK (at_risk_percent BETWEEN 1 AND 99),
      return_visit_sample_percent integer NOT NULL DEFAULT 50 CHECK (return_visit_sample_percent BETWEEN 0 AND 100),
      return_visit_max_attempts integer NOT NULL DEFAULT 3 CHECK (return_visit_max_attempts BETWEEN 1 AND 10),
      auto_confirm_days integer NOT NULL DEFAULT 3 CHECK (auto_confirm_days BETWEEN 1 AND 30),
      committee_quorum integer NOT NULL DEFAULT 1 CHECK (committee_quorum BETWEEN 1 AND 20),
      satisfaction_target integer NOT NULL DEFAULT 90 CHECK (satisfaction_target BETWEEN 0 AND 100),
      return_visit_target integer NOT NULL DEFAULT 50 CHECK (return_visit_target BETWEEN 0 AND 100),
      timeliness_target integer NOT NULL DEFAULT 90 CHECK (timeliness_target BETWEEN 0 AND 100),
      notify_owner_sms boolean NOT NULL DEFAULT true,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE ticket_categories (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      kind text NOT NULL CHECK (kind IN ('homeRepair', 'publicRepair', 'complaint', 'inquiry', 'paidService')),
      code text NOT NULL,
      name text NOT NULL,
      name_en text,
      active boolean NOT NULL DEFAULT true,
      sort integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, kind, code)
    );

    -- Time limits. The most specific policy wins: community over company, category over kind, urgency over any.
    CREATE TABLE sla_policies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid REFERENCES communities(id),
      kind text NOT NULL CHECK (kind IN ('homeRepair', 'publicRepair', 'complaint', 'inquiry', 'paidService')),
      category_id uuid REFERENCES ticket_categories(id),
      urgency text CHECK (urgency IN ('normal', 'urgent')),
      severity text CHECK (severity IN ('ordinary', 'major')),
      clocks jsonb NOT NULL,
      pause_stops_clock boolean NOT NULL DEFAULT true,
      note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX sla_policies_scope_key ON sla_policies (
      company_id, coalesce(community_id, '00000000-0000-0000-0000-000000000000'), kind,
      coalesce(category_id, '00000000-0000-0000-0000-000000000000'), coalesce(urgency, '*'), coalesce(severity, '*'));
    CREATE INDEX sla_policies_community_idx ON sla_policies (community_id);
    CREATE INDEX sla_policies_category_idx ON sla_policies (category_id);

    CREATE TABLE staff_groups (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid REFERENCES communities(id),
      name text NOT NULL,
      leader_id uuid REFERENCES users(id),
      rr_cursor integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (company_id, name)
    );
    CREATE INDEX staff_groups_community_idx ON staff_groups (community_id);
    CREATE INDEX staff_groups_leader_idx ON staff_groups (leader_id);
    CREATE TABLE staff_group_members (
      group_id uuid NOT NULL REFERENCES staff_groups(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id),
      company_id uuid NOT NULL REFERENCES companies(id),
      position integer NOT NULL DEFAULT 0,
      PRIMARY KEY (group_id, user_id)
    );
    CREATE INDEX staff_group_members_user_idx ON staff_group_members (user_id);

    -- Automatic dispatch: the first matching rule by priority (lower first) decides.
    CREATE TABLE dispatch_rules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      kind text CHECK (kind IN ('homeRepair', 'publicRepair', 'complaint', 'inquiry', 'paidService')),
      category_id uuid REFERENCES ticket_categories(id),
      building_id uuid REFERENCES buildings(id),
      zone_id uuid REFERENCES zones(id),
      mode text NOT NULL CHECK (mode IN ('person', 'roundRobin', 'pool')),
      assignee_id uuid REFERENCES users(id),
      group_id uuid REFERENCES staff_groups(id),
      priority integer NOT NULL DEFAULT 100,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((mode = 'person' AND assignee_id IS NOT NULL) OR (mode <> 'person' AND group_id IS NOT NULL))
    );
    CREATE INDEX dispatch_rules_community_idx ON dispatch_rules (community_id, priority);
    CREATE INDEX dispatch_rules_category_idx ON dispatch_rules (category_id);
    CREATE INDEX dispatch_rules_building_idx ON dispatch_rules (building_id);
    CREATE INDEX dispatch_rules_zone_idx ON dispatch_rules (zone_id);
    CREATE INDEX dispatch_rules_assignee_idx ON dispatch_rules (assignee_id);
    CREATE INDEX dispatch_rules_group_idx ON dispatch_rules (group_id);

    -- Running ticket numbers per company and business day: BX-20261122-0001.
    CREATE TABLE ticket_counters (
      company_id uuid NOT NULL REFERENCES companies(id),
      day date NOT NULL,
      last integer NOT NULL,
      PRIMARY KEY (company_id, day)
    );

    CREATE TABLE tickets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      no text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('homeRepair', 'publicRepair', 'complaint', 'inquiry', 'paidService')),
      category_id uuid NOT NULL REFERENCES ticket_categories(id),
      urgency text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent')),
      severity text NOT NULL DEFAULT 'ordinary' CHECK (severity IN ('ordinary', 'major')),
      repair_size text CHECK (repair_size IN ('small', 'medium', 'major')),
      room_id uuid REFERENCES rooms(id),
      building_id uuid REFERENCES buildings(id),
      zone_id uuid REFERENCES zones(id),
      location text,
      title text NOT NULL,
      description text NOT NULL DEFAULT '',
      channel text NOT NULL CHECK (channel IN ('ownerApp', 'frontDesk', 'hotline', 'monitoring', 'patrol', 'device')),
      reporter_user_id uuid REFERENCES users(id),
      reporter_resident_id uuid REFERENCES residents(id),
      reporter_name text,
      reporter_phone text,
      reporter_lang text NOT NULL DEFAULT 'zh-CN' CHECK (reporter_lang IN ('zh-CN', 'en')),
      reported_at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('submitted', 'accepted', 'dispatched', 'arrived', 'inProgress', 'paused', 'completed', 'confirmed', 'visited', 'closed', 'cancelled')),
      paused_from text,
      paused_at timestamptz,
      assignee_id uuid REFERENCES users(id),
      group_id uuid REFERENCES staff_groups(id),
      in_pool boolean NOT NULL DEFAULT false,
      acknowledged_at timestamptz,
      policy_id uuid REFERENCES sla_policies(id),
      pause_stops_clock boolean NOT NULL DEFAULT true,
      beyond_calendar boolean NOT NULL DEFAULT false,
      respond_due_at timestamptz, respond_warn_at timestamptz, respond_done_at timestamptz, respond_state text,
      arrive_due_at timestamptz, arrive_warn_at timestamptz, arrive_done_at timestamptz, arrive_state text,
      resolve_due_at timestamptz, resolve_warn_at timestamptz, resolve_done_at timestamptz, resolve_state text,
      reply_due_at timestamptz, reply_warn_at timestamptz, reply_done_at timestamptz, reply_state text,
      approval_status text NOT NULL DEFAULT 'notNeeded' CHECK (approval_status IN ('notNeeded', 'pending', 'approved', 'rejected')),
      rework_count integer NOT NULL DEFAULT 0,
      rating integer CHECK (rating BETWEEN 1 AND 5),
      rating_tags text[] NOT NULL DEFAULT '{}',
      rating_comment text,
      rated_at timestamptz,
      reply_text text,
      charge_fen integer CHECK (charge_fen >= 0),
      cancel_reason text,
      accepted_at timestamptz,
      dispatched_at timestamptz,
      arrived_at timestamptz,
      completed_at timestamptz,
      closed_at timestamptz,
      created_by uuid REFERENCES users(id),
      client_ref uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (respond_state IN ('running', 'atRisk', 'overdue', 'met', 'metLate')),
      CHECK (arrive_state IN ('running', 'atRisk', 'overdue', 'met', 'metLate')),
      CHECK (resolve_state IN ('running', 'atRisk', 'overdue', 'met', 'metLate')),
      CHECK (reply_state IN ('running', 'atRisk', 'overdue', 'met', 'metLate')),
      UNIQUE (company_id, no)
    );
    CREATE INDEX tickets_queue_idx ON tickets (company_id, status, reported_at DESC);
    CREATE INDEX tickets_reported_idx ON tickets (company_id, reported_at);
    CREATE INDEX tickets_community_idx ON tickets (community_id, reported_at);
    CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, status);
    CREATE INDEX tickets_pool_idx ON tickets (community_id) WHERE in_pool;
    CREATE INDEX tickets_room_idx ON tickets (room_id);
    CREATE INDEX tickets_reporter_idx ON tickets (reporter_user_id);
    CREATE INDEX tickets_resident_idx ON tickets (reporter_resident_id);
    CREATE INDEX tickets_category_idx ON tickets (category_id);
    CREATE INDEX tickets_building_idx ON tickets (building_id);
    CREATE INDEX tickets_zone_idx ON tickets (zone_id);
    CREATE INDEX tickets_group_idx ON tickets (group_id);
    CREATE INDEX tickets_policy_idx ON tickets (policy_id);
    CREATE INDEX tickets_created_by_idx ON tickets (created_by);
    -- A report queued offline and sent twice creates one ticket.
    CREATE UNIQUE INDEX tickets_client_ref_key ON tickets (company_id, client_ref) WHERE client_ref IS NOT NULL;
    -- The SLA sweep reads only clocks still running: small partial indexes on their warning and due instants.
    CREATE INDEX tickets_respond_warn_idx ON tickets (respond_warn_at) WHERE respond_state = 'running';
    CREATE INDEX tickets_respond_due_idx ON tickets (respond_due_at) WHERE respond_state IN ('running', 'atRisk');
    CREATE INDEX tickets_arrive_warn_idx ON tickets (arrive_warn_at) WHERE arrive_state = 'running';
    CREATE INDEX tickets_arrive_due_idx ON tickets (arrive_due_at) WHERE arrive_state IN ('running', 'atRisk');
    CREATE INDEX tickets_resolve_warn_idx ON tickets (resolve_warn_at) WHERE resolve_state = 'running';
    CREATE INDEX tickets_resolve_due_idx ON tickets (resolve_due_at) WHERE resolve_state IN ('running', 'atRisk');
    CREATE INDEX tickets_reply_warn_idx ON tickets (reply_warn_at) WHERE reply_state = 'running';
    CREATE INDEX tickets_reply_due_idx ON tickets (reply_due_at) WHERE reply_state IN ('running', 'atRisk');

    -- The timeline. client_action_id makes a replayed offline action a no-op.
    CREATE TABLE ticket_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- Orders steps written at the same instant (an automatic confirmation and the close it causes).
      seq bigserial NOT NULL,
      company_id uuid NOT NULL REFERENCES companies(id),
      ticket_id uuid NOT NULL REFERENCES tickets(id),
      at timestamptz NOT NULL DEFAULT now(),
      actor_id uuid REFERENCES users(id),
      actor_name text,
      action text NOT NULL,
      from_status text,
      to_status text,
      note text,
      payload jsonb NOT NULL DEFAULT '{}',
      client_action_id uuid,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, at);
    CREATE INDEX ticket_events_actor_idx ON ticket_events (actor_id);
    CREATE UNIQUE INDEX ticket_events_client_action_key ON ticket_events (ticket_id, client_action_id) WHERE client_action_id IS NOT NULL;

    CREATE TABLE ticket_attachments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      ticket_id uuid NOT NULL REFERENCES tickets(id),
      file_id uuid NOT NULL REFERENCES files(id),
      stage text NOT NULL CHECK (stage IN ('report', 'before', 'progress', 'after', 'visit')),
      event_id uuid REFERENCES ticket_events(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (ticket_id, file_id)
    );
    CREATE INDEX ticket_attachments_file_idx ON ticket_attachments (file_id);
    CREATE INDEX ticket_attachments_event_idx ON ticket_attachments (event_id);

    CREATE TABLE ticket_materials (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      ticket_id uuid NOT NULL REFERENCES tickets(id),
      name text NOT NULL,
      quantity numeric(12,2) NOT NULL CHECK (quantity > 0),
      unit text NOT NULL DEFAULT '个',
      price_fen integer NOT NULL DEFAULT 0 CHECK (price_fen >= 0),
      added_by uuid REFERENCES users(id),
      client_action_id uuid,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ticket_materials_ticket_idx ON ticket_materials (ticket_id);
    CREATE INDEX ticket_materials_added_by_idx ON ticket_materials (added_by);
    CREATE UNIQUE INDEX ticket_materials_client_action_key ON ticket_materials (ticket_id, client_action_id) WHERE client_action_id IS NOT NULL;

    -- 中修/大修: the owners' committee decides before work starts. One vote per member.
    CREATE TABLE ticket_approvals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      ticket_id uuid NOT NULL REFERENCES tickets(id),
      voter_user_id uuid NOT NULL REFERENCES users(id),
      voter_name text NOT NULL,
      decision text NOT NULL CHECK (decision IN ('approve', 'reject')),
      note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (ticket_id, voter_user_id)
    );
    CREATE INDEX ticket_approvals_voter_idx ON ticket_approvals (voter_user_id);

    CREATE TABLE return_visits (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      community_id uuid NOT NULL REFERENCES communities(id),
      ticket_id uuid NOT NULL REFERENCES tickets(id) UNIQUE,
      reason text NOT NULL CHECK (reason IN ('complaint', 'majorComplaint', 'sample', 'manual')),
      mandatory boolean NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'unreachable', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      satisfaction integer CHECK (satisfaction BETWEEN 1 AND 5),
      resolved boolean,
      answers jsonb NOT NULL DEFAULT '{}',
      note text,
      channel text CHECK (channel IN ('phone', 'visit', 'online')),
      visited_by uuid REFERENCES users(id),
      visited_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX return_visits_queue_idx ON return_visits (company_id, status, next_attempt_at);
    CREATE INDEX return_visits_community_idx ON return_visits (community_id);
    CREATE INDEX return_visits_visited_by_idx ON return_visits (visited_by);

    CREATE TABLE notifications (
      id bigserial PRIMARY KEY,
      company_id uuid NOT NULL REFERENCES companies(id),
      user_id uuid NOT NULL REFERENCES users(id),
      ticket_id uuid REFERENCES tickets(id),
      kind text NOT NULL,
      title text NOT NULL,
      body text NOT NULL DEFAULT '',
      read_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
    CREATE INDEX notifications_ticket_idx ON notifications (ticket_id);
    CREATE INDEX notifications_company_idx ON notifications (company_id);

    CREATE TABLE ticket_views (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id),
      user_id uuid NOT NULL REFERENCES users(id),
      name text NOT NULL,
      filters jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (user_id, name)
    );
    CREATE INDEX ticket_views_company_idx ON ticket_views (company_id);

    -- Configuring the service desk is a new permission; the built-in administrator and manager roles get it.
    UPDATE roles SET permissions = array_append(permissions, 'servicedesk.configure')
      WHERE builtin_key IN ('admin', 'manager') AND NOT ('servicedesk.configure' = ANY (permissions));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE roles SET permissions = array_remove(permissions, 'servicedesk.configure');
    DROP TABLE ticket_views, notifications, return_visits, ticket_approvals, ticket_materials, ticket_attachments,
      ticket_events, tickets, ticket_counters, dispatch_rules, staff_group_members, staff_groups, sla_policies,
      ticket_categories, service_desk_settings, calendar_years, calendar_days;
  `.execute(db);
}
