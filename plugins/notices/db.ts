import type { ColumnType, Generated } from "kysely";

// Kysely types of this plugin's tables; models widen a core transaction with trx.withTables<NoticesTables>().
// Type aliases, not interfaces: withTables() needs an index-signature-compatible shape.
export type NoticeTable = {
  org_id: string;
  id: Generated<string>;
  title: string;
  body: string;
  /** Null for a notice a case published without a starter (0002). */
  created_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  /** 0002: end of the display period (organisation setting displayDays); null = no end. */
  expires_at: Date | null;
  archived_at: Date | null;
  signature: string | null;
  pinned: Generated<boolean>;
  case_id: string | null;
};

export type NoticesTables = { notices_notice: NoticeTable };
