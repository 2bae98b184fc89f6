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
  /** The version whose migrations last succeeded (0007). */
  installed_version: string | null;
}

// Plugins per organisation (migrations/0007_plugin_orgs.ts).
export interface PluginOrgsTable {
  org_id: string;
  plugin_id: string;
  enabled: Generated<boolean>;
  settings_version: Generated<number>;
  row_version: Generated<number>;
  changed_by: string | null;
  changed_at: Timestamp;
  exported_at: Date | null;
  export_fingerprint: string | null;
}

export interface PluginSettingsVersionsTable {
  org_id: string;
  plugin_id: string;
  version: number;
  values: ColumnType<Record<string, unknown>, string, never>;
  plugin_version: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface PluginTemplatesTable {
  org_id: string;
  plugin_id: string;
  kind: "workflow" | "form";
  template_key: string;
  template_version: number;
  target_id: string;
  target_key: string;
  installed_by: string | null;
  installed_at: Timestamp;
}

// Workflow (migrations/0003_workflow.ts). JSONB columns are written as JSON strings.
export type WorkflowVersionStatus = "draft" | "published" | "archived";
export type CaseStatus = "running" | "completed" | "incident" | "cancelled";
export type TaskStatus = "open" | "completed" | "cancelled";
export type TaskPriority = "low" | "normal" | "high" | "urgent";

export interface WorkflowDefinitionsTable {
  org_id: string;
  id: Generated<string>;
  key: string;
  name_ar: string;
  name_en: string;
  created_by: string | null;
  created_at: Timestamp;
  archived_at: Date | null;
}

export interface WorkflowVersionsTable {
  org_id: string;
  id: Generated<string>;
  definition_id: string;
  version: number | null;
  status: WorkflowVersionStatus;
  graph: Json<unknown>;
  change_note: string | null;
  lock_version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_by: string | null;
  published_at: Date | null;
}

export interface CaseCountersTable {
  org_id: string;
  year: number;
  last: ColumnType<string, string | number | undefined, string | number>;
}

export interface CasesTable {
  org_id: string;
  id: Generated<string>;
  reference: string;
  definition_id: string;
  version_id: string;
  status: CaseStatus;
  title: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  state: Json<unknown>;
  parent_case_id: string | null;
  parent_token_id: string | null;
  started_by: string | null;
  started_at: Timestamp;
  completed_at: Date | null;
  row_version: Generated<number>;
  /** Tail of the case's event chain (0005): last seq and hash. */
  event_seq: Generated<number>;
  event_hash: Generated<string>;
  /** Form key → the form version its steps use (0006), fixed when the case starts. */
  form_versions: ColumnType<Record<string, string>, string | undefined, string>;
  /** Plugin id → settings version in force when the case started (0007, set by a trigger). */
  plugin_settings: ColumnType<Record<string, number>, never, never>;
}

export interface TasksTable {
  org_id: string;
  id: Generated<string>;
  case_id: string;
  token_id: string;
  node_id: string;
  kind: "task" | "gate";
  name_ar: string;
  name_en: string;
  lane_id: string | null;
  candidate_role_id: string | null;
  candidate_unit_id: string | null;
  assignee_user_id: string | null;
  status: TaskStatus;
  priority: Generated<TaskPriority>;
  due_at: Date | null;
  outcome: string | null;
  created_at: Timestamp;
  claimed_at: Date | null;
  completed_at: Date | null;
  completed_by: string | null;
  row_version: Generated<number>;
}

export interface CaseEventsTable {
  org_id: string;
  id: Generated<string>;
  case_id: string;
  seq: number;
  at: ColumnType<Date, Date | string, Date | string>;
  actor_user_id: string | null;
  type: string;
  node_id: string | null;
  task_id: string | null;
  payload: Json<unknown> | null;
  prev_hash: string;
  hash: string;
}

export interface IncidentsTable {
  org_id: string;
  id: Generated<string>;
  case_id: string;
  token_id: string;
  node_id: string;
  reason: string;
  detail: string;
  data_snapshot: Json<unknown>;
  status: Generated<"open" | "resolved">;
  created_at: Timestamp;
  resolved_at: Date | null;
  resolved_by: string | null;
}

export interface CaseTimersTable {
  org_id: string;
  id: Generated<string>;
  case_id: string;
  token_id: string;
  node_id: string;
  due_at: ColumnType<Date, Date | string, Date | string>;
  fired_at: Date | null;
  cancelled_at: Date | null;
}

export interface CaseCommentsTable {
  org_id: string;
  id: Generated<string>;
  case_id: string;
  author_user_id: string;
  body: string;
  created_at: Timestamp;
}

export interface IdempotencyKeysTable {
  org_id: string;
  key: string;
  user_id: string;
  scope: string;
  response: Json<unknown>;
  created_at: Timestamp;
}

// Forms (migrations/0004_forms.ts). bigint columns come back from pg as strings.
export type FormVersionStatus = "draft" | "published" | "archived";
type BigIntColumn = ColumnType<string, string | number, string | number>;

export interface FormDefinitionsTable {
  org_id: string;
  id: Generated<string>;
  key: string;
  name_ar: string;
  name_en: string;
  created_by: string | null;
  created_at: Timestamp;
  archived_at: Date | null;
}

export interface FormVersionsTable {
  org_id: string;
  id: Generated<string>;
  form_id: string;
  version: number | null;
  status: FormVersionStatus;
  schema: Json<Record<string, unknown>>;
  ui_schema: ColumnType<Record<string, unknown>, string | undefined, string>;
  translations: ColumnType<Record<string, unknown>, string | undefined, string>;
  change_note: string | null;
  lock_version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_by: string | null;
  published_at: Date | null;
}

export interface FormDraftsTable {
  org_id: string;
  id: Generated<string>;
  form_version_id: string;
  user_id: string;
  context: string;
  data: Json<unknown>;
  lock_version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FormSubmissionsTable {
  org_id: string;
  id: Generated<string>;
  form_version_id: string;
  context: string;
  data: Json<unknown>;
  submitted_by: string;
  submitted_at: Timestamp;
  idempotency_key: string;
}

export interface FilesTable {
  org_id: string;
  id: Generated<string>;
  storage_key: string;
  filename: string;
  content_type: string;
  size_bytes: BigIntColumn;
  sha256: string;
  uploaded_by: string;
  created_at: Timestamp;
  attached_to: string | null;
}

export interface OrgStorageTable {
  org_id: string;
  quota_bytes: ColumnType<string, string | number | undefined, string | number>;
  max_file_bytes: ColumnType<string, string | number | undefined, string | number>;
  used_bytes: ColumnType<string, string | number | undefined, string | number>;
  updated_at: Timestamp;
}

// Business calendars (migrations/0008_business_calendars.ts); the JSON is checked by the model.
export type CalendarMode = "business" | "elapsed";
export interface BusinessCalendarsTable {
  org_id: string;
  mode: Generated<CalendarMode>;
  preset: string | null;
  week: Json<unknown>;
  overrides: ColumnType<unknown, string | undefined, string>;
  holidays: ColumnType<unknown, string | undefined, string>;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: Timestamp;
}

// Notifications and the email outbox (migrations/0009_notifications.ts, ADR 008).
export interface NotificationsTable {
  org_id: string;
  id: Generated<string>;
  user_id: string;
  kind: string;
  params: ColumnType<Record<string, string | number>, string | undefined, string>;
  link: string | null;
  dedupe_key: string;
  created_at: Timestamp;
  read_at: Date | null;
}

export type EmailStatus = "queued" | "sent" | "failed";
export interface EmailOutboxTable {
  org_id: string;
  id: Generated<string>;
  user_id: string | null;
  kind: string;
  to_address: string;
  locale: Locale;
  subject: string;
  body_text: string;
  body_html: string;
  status: Generated<EmailStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  sent_at: Date | null;
  dedupe_key: string;
  created_at: Timestamp;
}

export interface NotificationPreferencesTable {
  org_id: string;
  user_id: string;
  kind: string;
  email: boolean;
  updated_at: Timestamp;
}

// SLA policies, clocks, firings and the breach ledger (migrations/0010_sla.ts, ADR 009).
export type SlaScope = "case" | "every_step" | "step";
export interface SlaPoliciesTable {
  org_id: string;
  id: Generated<string>;
  definition_id: string;
  scope: SlaScope;
  node_id: string | null;
  condition: string | null;
  name_ar: string;
  name_en: string;
  response_minutes: number | null;
  resolution_minutes: number | null;
  warn_percents: ColumnType<number[], string | undefined, string>;
  levels: ColumnType<unknown, string | undefined, string>;
  active: Generated<boolean>;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface SlaClocksTable {
  org_id: string;
  id: Generated<string>;
  policy_id: string;
  case_id: string;
  task_id: string | null;
  definition_id: string;
  node_id: string | null;
  terms: Json<unknown>;
  started_at: ColumnType<Date, Date | string, Date | string>;
  pauses: ColumnType<unknown, string | undefined, string>;
  paused_at: Date | null;
  responded_at: Date | null;
  stopped_at: Date | null;
  stop_reason: "completed" | "cancelled" | null;
  response_due_at: Date | null;
  response_risk_at: Date | null;
  resolution_due_at: Date | null;
  resolution_risk_at: Date | null;
  next_due_at: Date | null;
  warned_at: Date | null;
  breached_at: Date | null;
  level_reached: Generated<number>;
}

export interface SlaFiringsTable {
  org_id: string;
  id: Generated<string>;
  clock_id: string;
  milestone: string;
  due_at: ColumnType<Date, Date | string, Date | string>;
  fired_at: ColumnType<Date, Date | string, Date | string>;
  announced: boolean;
}

export interface SlaBreachesTable {
  org_id: string;
  id: Generated<string>;
  clock_id: string;
  case_id: string;
  task_id: string | null;
  policy_id: string;
  policy_name_ar: string;
  policy_name_en: string;
  definition_id: string;
  node_id: string | null;
  target: "response" | "resolution";
  due_at: ColumnType<Date, Date | string, Date | string>;
  actual_at: Date | null;
  level_reached: Generated<number>;
  recorded_at: ColumnType<Date, Date | string, Date | string>;
}

// The public portal (migrations/0011_portal.ts, ADR 010).
export interface PortalRequestsTable {
  org_id: string;
  id: Generated<string>;
  case_id: string;
  service_code: string;
  code_hash: string;
  contact_kind: "phone" | "email";
  contact_hash: string;
  locale: Locale;
  created_at: Timestamp;
}

export interface PortalRatingsTable {
  org_id: string;
  case_id: string;
  service_code: string;
  rating: number;
  comment: string | null;
  created_at: Timestamp;
}

export interface PortalRateBucketsTable {
  org_id: string;
  bucket: string;
  window_start: Date | string;
  hits: Generated<number>;
}

export interface PortalSecretTable {
  id: number;
  secret: string;
}

export interface DB {
  form_definitions: FormDefinitionsTable;
  form_versions: FormVersionsTable;
  form_drafts: FormDraftsTable;
  form_submissions: FormSubmissionsTable;
  files: FilesTable;
  org_storage: OrgStorageTable;
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
  plugin_orgs: PluginOrgsTable;
  plugin_settings_versions: PluginSettingsVersionsTable;
  plugin_templates: PluginTemplatesTable;
  workflow_definitions: WorkflowDefinitionsTable;
  workflow_versions: WorkflowVersionsTable;
  case_counters: CaseCountersTable;
  cases: CasesTable;
  tasks: TasksTable;
  case_events: CaseEventsTable;
  incidents: IncidentsTable;
  case_timers: CaseTimersTable;
  case_comments: CaseCommentsTable;
  idempotency_keys: IdempotencyKeysTable;
  business_calendars: BusinessCalendarsTable;
  notifications: NotificationsTable;
  email_outbox: EmailOutboxTable;
  notification_preferences: NotificationPreferencesTable;
  deadline_policies: SlaPoliciesTable;
  deadline_clocks: SlaClocksTable;
  deadline_firings: SlaFiringsTable;
  deadline_breaches: SlaBreachesTable;
  portal_requests: PortalRequestsTable;
  portal_ratings: PortalRatingsTable;
  portal_rate_buckets: PortalRateBucketsTable;
  portal_secret: PortalSecretTable;
}

export type Organisation = Selectable<OrganisationsTable>;
export type NewOrganisation = Insertable<OrganisationsTable>;
export type OrganisationUpdate = Updateable<OrganisationsTable>;
export type User = Selectable<UsersTable>;
export type OrgUnit = Selectable<OrgUnitsTable>;
export type Role = Selectable<RolesTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type WorkflowDefinitionRow = Selectable<WorkflowDefinitionsTable>;
export type WorkflowVersionRow = Selectable<WorkflowVersionsTable>;
export type CaseRow = Selectable<CasesTable>;
export type TaskRow = Selectable<TasksTable>;
export type CaseEventRow = Selectable<CaseEventsTable>;
export type IncidentRow = Selectable<IncidentsTable>;
export type CaseTimerRow = Selectable<CaseTimersTable>;
export type CaseCommentRow = Selectable<CaseCommentsTable>;
export type FormDefinitionRow = Selectable<FormDefinitionsTable>;
export type FormVersionRow = Selectable<FormVersionsTable>;
export type FormDraftRow = Selectable<FormDraftsTable>;
export type FormSubmissionRow = Selectable<FormSubmissionsTable>;
export type FileRow = Selectable<FilesTable>;
