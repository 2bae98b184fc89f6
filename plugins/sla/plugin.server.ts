import { definePluginServer } from "../contract";
import { agreementsDaily } from "./jobs.server";
import * as m0001 from "./migrations/0001_sla";
import { seedAgreements } from "./seed.server";
import { slaSettings } from "./settings";

// Agreements between agencies (docs/plugins.md; DOMAIN.md §2): the records, their versions and
// signatures, the links that put a catalogue service's steps under the agreement's deadlines,
// the breach ledger, the quarterly meetings and the daily reminders.
export default definePluginServer({
  migrations: { "0001_sla": m0001 },
  permissions: {
    subjects: [
      { name: "Agreement", actions: ["read", "create", "update", "sign", "cancel", "delete"] },
      { name: "AgreementBreach", actions: ["read", "create", "update"] },
      { name: "AgreementMeeting", actions: ["read", "create"] },
    ],
    defaultGrants: {
      admin: [
        { action: "manage", subject: "Agreement" },
        { action: "manage", subject: "AgreementBreach" },
        { action: "manage", subject: "AgreementMeeting" },
      ],
      manager: [
        { action: ["read", "create", "update"], subject: "Agreement" },
        { action: ["read", "create", "update"], subject: "AgreementBreach" },
        { action: ["read", "create"], subject: "AgreementMeeting" },
      ],
      // Staff see the agreements and report the breaches they come across.
      staff: [
        { action: "read", subject: "Agreement" },
        { action: ["read", "create"], subject: "AgreementBreach" },
        { action: "read", subject: "AgreementMeeting" },
      ],
    },
  },
  nav: [{ key: "agreements", label: "nav.title", path: "sla", section: "main", can: ["read", "Agreement"] }],
  // Plugin pages live under the plugin id: /app/:org/sla/…
  routes: ["sla"],
  settings: slaSettings,
  jobs: [agreementsDaily],
  seed: seedAgreements,
});
