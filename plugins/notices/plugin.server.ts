import { definePluginServer } from "../contract";
import * as m0001 from "./migrations/0001_notice_table";

export default definePluginServer({
  migrations: { "0001_notice_table": m0001 },
  permissions: {
    subjects: [{ name: "Notice", actions: ["read", "create", "delete"], fields: { createdBy: "user" } }],
    defaultGrants: {
      admin: [{ action: "manage", subject: "Notice" }],
      manager: [{ action: ["read", "create"], subject: "Notice" }],
      staff: [{ action: "read", subject: "Notice" }],
    },
  },
  nav: [{ key: "board", label: "nav.title", path: "notices", section: "main", can: ["read", "Notice"] }],
});
