import type { Migration } from "kysely";
import * as core0001 from "./0001_core";
import * as core0002 from "./0002_plugin_grants";
import * as core0003 from "./0003_workflow";
import * as core0004 from "./0004_forms";
import * as core0005 from "./0005_workflow_runtime";
import * as core0006 from "./0006_case_runtime_batching";
import * as core0007 from "./0007_plugin_orgs";
import * as core0008 from "./0008_business_calendars";
import * as core0009 from "./0009_notifications";
import * as core0010 from "./0010_sla";
import * as core0011 from "./0011_portal";
import * as core0012 from "./0012_deadline_tables";

// Explicit list (not a directory scan) so the same code runs under Vite, tsx and vitest.
export const coreMigrations: Record<string, Migration> = {
  "0001_core": core0001,
  "0002_plugin_grants": core0002,
  "0003_workflow": core0003,
  "0004_forms": core0004,
  "0005_workflow_runtime": core0005,
  "0006_case_runtime_batching": core0006,
  "0007_plugin_orgs": core0007,
  "0008_business_calendars": core0008,
  "0009_notifications": core0009,
  "0010_sla": core0010,
  "0011_portal": core0011,
  "0012_deadline_tables": core0012,
};
