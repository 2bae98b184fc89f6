import type { ColumnType, Generated } from "kysely";

// Kysely types of this plugin's tables; models widen a core transaction with trx.withTables<NoticesTables>().
// Type aliases, not interfaces: withTables() needs an index-signature-compatible shape.
export type NoticeTable = {
  org_id: string;
  id: Generated<string>;
  title: string;
  body: string;
  created_by: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
};

export type NoticesTables = { notices_notice: NoticeTable };
