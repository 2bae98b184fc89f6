import type { ColumnType, Generated } from "kysely";

// Kysely types of the agreements plugin's tables (migrations/0001_sla.ts); models widen a
// core transaction with trx.withTables<SlaTables>(). Type aliases, not interfaces:
// withTables() needs an index-signature-compatible shape.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** date columns: always selected as text (col::text), never as a JS Date (time-zone shifts). */
type DateOnly = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;
type Side = "provider" | "recipient";

export type SlaCounterTable = {
  org_id: string;
  id: Generated<string>;
  last: Generated<number>;
};

export type SlaAgreementTable = {
  org_id: string;
  id: Generated<string>;
  number: string;
  serial: number;
  name_ar: string;
  name_en: Generated<string>;
  our_side: Side;
  counterpart: string;
  signed_version: number | null;
  draft_version: number | null;
  cancel_side: Side | null;
  cancel_letter_date: DateOnly | null;
  cancel_letter_ref: string | null;
  cancel_effective: DateOnly | null;
  cancel_reason: string | null;
  row_version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type SlaAgreementVersionTable = {
  org_id: string;
  id: Generated<string>;
  agreement_id: string;
  version: number;
  /** AgreementContent (plugins/sla/agreement.ts), checked by agreementContentSchema before every write. */
  content: Json<unknown>;
  status: "draft" | "signed" | "superseded";
  /** Signature[] */
  signatures: ColumnType<unknown, string | undefined, string>;
  signed_at: Date | null;
  changes: Generated<string>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type SlaAgreementHistoryTable = {
  org_id: string;
  id: Generated<string>;
  agreement_id: string;
  version: number;
  kind: "version" | "signed" | "minor" | "cancellation";
  at: Timestamp;
  editor_id: string | null;
  editor_name: string;
  owner: Generated<string>;
  changes: Generated<string>;
};

export type SlaAgreementLinkTable = {
  org_id: string;
  id: Generated<string>;
  agreement_id: string;
  service_id: string;
  node_id: string;
  channel: Generated<"email" | "letter">;
  responsible_side: Side;
  policy_id: string | null;
  created_at: Timestamp;
};

export type SlaAgreementBreachTable = {
  org_id: string;
  id: Generated<string>;
  agreement_id: string;
  occurred_at: Date;
  deadline_breach_id: string | null;
  case_id: string | null;
  side: Side;
  description: string;
  cause: Generated<string>;
  fix: Generated<string>;
  recorded_by: string | null;
  recorded_at: Timestamp;
  updated_at: Timestamp;
  row_version: Generated<number>;
};

export type SlaAgreementMeetingTable = {
  org_id: string;
  id: Generated<string>;
  agreement_id: string;
  quarter_start: DateOnly;
  quarter_end: DateOnly;
  held_on: DateOnly | null;
  attendees: Generated<string>;
  minutes: Generated<string>;
  recorded_by: string | null;
  recorded_at: Timestamp;
  row_version: Generated<number>;
};

export type SlaTables = {
  sla_counter: SlaCounterTable;
  sla_agreement: SlaAgreementTable;
  sla_agreement_version: SlaAgreementVersionTable;
  sla_agreement_history: SlaAgreementHistoryTable;
  sla_agreement_link: SlaAgreementLinkTable;
  sla_agreement_breach: SlaAgreementBreachTable;
  sla_agreement_meeting: SlaAgreementMeetingTable;
};
