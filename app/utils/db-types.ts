import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

// Hand-written table types for Kysely; keep in step with migrations/.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type Locale = "ar" | "en";
export type Digits = "arab" | "latn";
export type CalendarKind = "gregory" | "islamic-umalqura";

export interface OrganisationsTable {
  id: Generated<string>;
  slug: string;
  name_ar: string;
  name_en: string;
  initials: string;
  default_locale: Generated<Locale>;
  digits: Generated<Digits>;
  calendar: Generated<CalendarKind>;
  time_zone: Generated<string>;
  created_at: Timestamp;
  disabled_at: Date | null;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  locale: Locale | null;
  is_platform_admin: Generated<boolean>;
  disabled_at: Date | null;
  created_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  current_org_id: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<string>;
  email: string;
  ip: string;
  success: boolean;
  at: Timestamp;
}

export interface OrgUnitsTable {
  org_id: string;
  id: Generated<string>;
  code: string;
  name_ar: string;
  name_en: string;
  parent_id: string | null;
  created_at: Timestamp;
}

export interface RolesTable {
  org_id: string;
  id: Generated<string>;
  key: string;
  name_ar: string;
  name_en: string;
  rules: Json<unknown[]>;
  builtin: Generated<boolean>;
  version: Generated<number>;
  updated_at: Timestamp;
}

export interface MembershipsTable {
  org_id: string;
  user_id: string;
  unit_id: string | null;
  title: string | null;
  disabled_at: Date | null;
  created_at: Timestamp;
}

export interface MembershipRolesTable {
  org_id: string;
  user_id: string;
  role_id: string;
}

export interface AuditLogTable {
  id: Generated<string>;
  org_id: string | null;
  seq: string;
  at: Timestamp;
  actor_user_id: string | null;
  actor_label: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  org_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export interface PluginStateTable {
  plugin_id: string;
  version: string;
  status: "active" | "disabled";
  error: string | null;
  updated_at: Timestamp;
  granted: ColumnType<Record<string, unknown[]>, string | undefined, string>;
}

export interface DB {
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  org_units: OrgUnitsTable;
  roles: RolesTable;
  memberships: MembershipsTable;
  membership_roles: MembershipRolesTable;
  audit_log: AuditLogTable;
  api_tokens: ApiTokensTable;
  plugin_state: PluginStateTable;
}

export type Organisation = Selectable<OrganisationsTable>;
export type NewOrganisation = Insertable<OrganisationsTable>;
export type OrganisationUpdate = Updateable<OrganisationsTable>;
export type User = Selectable<UsersTable>;
export type OrgUnit = Selectable<OrgUnitsTable>;
export type Role = Selectable<RolesTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type ApiToken = Selectable<ApiTokensTable>;
