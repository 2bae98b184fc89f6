import { describe, expect, it } from "vitest";
import { readSlaSettings, SLA_DEFAULTS } from "./settings";
import { checkContributions, settingsDefaults } from "../contributions.server";
import ar from "./locales/ar.json";
import en from "./locales/en.json";
import manifest from "./manifest";
import server from "./plugin.server";

// Every boot check that needs no database (the loader runs the same at startup).
describe("sla contributions", () => {
  it("pass the plugin contract's checks", () => {
    const checked = checkContributions(manifest, server, { ar, en });
    expect(checked.routes).toEqual(["sla"]);
    expect(server.jobs!.map((j) => j.key)).toEqual(["agreements-daily"]);
    expect(settingsDefaults(server.settings!.schema)).toEqual(SLA_DEFAULTS);
    expect(readSlaSettings(settingsDefaults(server.settings!.schema))).toEqual(SLA_DEFAULTS);
  });

  it("grants what the roles need: admins everything, managers no signing or cancelling, staff read and report breaches", () => {
    const actions = (role: "admin" | "manager" | "staff", subject: string) =>
      (server.permissions.defaultGrants[role] ?? []).filter((r) => r.subject === subject).flatMap((r) => (Array.isArray(r.action) ? r.action : [r.action]));
    expect(actions("admin", "Agreement")).toEqual(["manage"]);
    expect(actions("manager", "Agreement")).toEqual(["read", "create", "update"]);
    expect(actions("manager", "AgreementBreach")).toEqual(["read", "create", "update"]);
    expect(actions("manager", "AgreementMeeting")).toEqual(["read", "create"]);
    expect(actions("staff", "Agreement")).toEqual(["read"]);
    expect(actions("staff", "AgreementBreach")).toEqual(["read", "create"]);
  });
});
