import type { ColumnType, Generated } from "kysely";

// Kysely types of the service catalogue's tables (migrations/0001_service_catalogue.ts);
// models widen a core transaction with trx.withTables<ServiceCatalogueTables>().
// Type aliases, not interfaces: withTables() needs an index-signature-compatible shape.

type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** numeric columns come back from pg as strings. */
type Numeric = ColumnType<string, number | string, number | string>;
/** date columns: always selected as text (period_start::text), never as a JS Date (time-zone shifts). */
type DateOnly = ColumnType<string, string, string>;

export type CounterTable = {
  org_id: string;
  id: Generated<string>;
  last: Generated<number>;
};

export type ServiceTable = {
  org_id: string;
  id: Generated<string>;
  code: string;
  serial: number;
  name_ar: string;
  name_en: Generated<string>;
  description_ar: Generated<string>;
  description_en: Generated<string>;
  category_ar: string | null;
  category_en: string | null;
  entity_ar: string;
  entity_en: Generated<string>;
  unit_id: string | null;
  segment: Generated<"G2C" | "G2B" | "G2G">;
  level: Generated<"main" | "sub">;
  parent_id: string | null;
  linkage: Generated<"unlinked" | "linked">;
  link_type: "electronic" | "traditional" | "other" | null;
  linked_entity_ar: Generated<string>;
  linked_entity_en: Generated<string>;
  sla_reference: Generated<string>;
  channel: Generated<"traditional" | "partial" | "digital">;
  channel_details_ar: Generated<string>;
  channel_details_en: Generated<string>;
  conditions_ar: Generated<string>;
  conditions_en: Generated<string>;
  documents_ar: Generated<string>;
  documents_en: Generated<string>;
  fees_ar: Generated<string>;
  fees_en: Generated<string>;
  contact_ar: Generated<string>;
  contact_en: Generated<string>;
  final_product_ar: Generated<string>;
  final_product_en: Generated<string>;
  estimated_minutes: number | null;
  workflow_key: string | null;
  status: Generated<"draft" | "in_review" | "published">;
  published_version: number | null;
  review_case_id: string | null;
  row_version: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
};

export type ServiceVersionTable = {
  org_id: string;
  id: Generated<string>;
  service_id: string;
  version: number;
  snapshot: ColumnType<Record<string, unknown>, string, never>;
  published_by: string | null;
  published_at: CreatedAt;
  case_id: string | null;
};

export type KpiFrequency = "monthly" | "quarterly" | "half-yearly" | "yearly";
export type KpiUnit = "percent" | "count" | "minutes" | "hours" | "days";

export type KpiTable = {
  org_id: string;
  id: Generated<string>;
  service_id: string;
  position: Generated<number>;
  name_ar: string;
  name_en: Generated<string>;
  formula_ar: Generated<string>;
  formula_en: Generated<string>;
  /** FEEL over the period's cases; null = measured by hand. */
  expression: string | null;
  frequency: Generated<KpiFrequency>;
  target: Numeric;
  unit: Generated<KpiUnit>;
  direction: Generated<"atLeast" | "atMost">;
  created_at: CreatedAt;
};

export type KpiMeasurementTable = {
  org_id: string;
  id: Generated<string>;
  kpi_id: string;
  period_start: DateOnly;
  period_end: DateOnly;
  value: ColumnType<string | null, number | string | null, number | string | null>;
  method: "computed" | "manual";
  case_count: number | null;
  note: Generated<string>;
  recorded_by: string | null;
  recorded_at: CreatedAt;
};

export type CharterTable = {
  org_id: string;
  id: Generated<string>;
  content: ColumnType<Record<string, unknown>, string, string>;
  row_version: Generated<number>;
  updated_by: string | null;
  updated_at: CreatedAt;
};

export type CharterVersionTable = {
  org_id: string;
  id: Generated<string>;
  version: number;
  content: ColumnType<Record<string, unknown>, string, never>;
  published_by: string | null;
  published_at: CreatedAt;
};

export type ServiceCatalogueTables = {
  service_catalogue_counter: CounterTable;
  service_catalogue_service: ServiceTable;
  service_catalogue_service_version: ServiceVersionTable;
  service_catalogue_kpi: KpiTable;
  service_catalogue_kpi_measurement: KpiMeasurementTable;
  service_catalogue_charter: CharterTable;
  service_catalogue_charter_version: CharterVersionTable;
};
