import { describe, expect, it } from "vitest";
import { checkContributions, settingsDefaults } from "../contributions.server";
import ar from "./locales/ar.json";
import en from "./locales/en.json";
import manifest from "./manifest";
import server from "./plugin.server";

// Every boot check that needs no database (the loader runs the same at startup).
describe("service-catalogue contributions", () => {
  it("pass the plugin contract's checks", () => {
    const checked = checkContributions(manifest, server, { ar, en });
    expect(checked.routes).toEqual(["service-catalogue"]);
    expect([...checked.configValidators.keys()]).toEqual(["beginReview", "publish", "sendBack"]);
    expect(checked.configValidators.get("sendBack")!({ outcome: "rejected" })).toBeNull();
    expect(checked.configValidators.get("sendBack")!({ outcome: "maybe" })).not.toBeNull();
    expect(settingsDefaults(server.settings!.schema)).toEqual({
      approver: "manager",
    });
  });

  it("ships the review workflow with a gate for each approver the settings offer", () => {
    const graph = server.workflows![0]!.graph as {
      nodes: { kind: string; approverRole?: string; actionType?: string }[];
    };
    expect(graph.nodes.filter((n) => n.kind === "gate").map((n) => n.approverRole)).toEqual(["manager", "admin"]);
    expect(graph.nodes.filter((n) => n.kind === "action").map((n) => n.actionType)).toEqual([
      "service-catalogue.beginReview",
      "service-catalogue.publish",
      "service-catalogue.sendBack",
      "service-catalogue.sendBack",
    ]);
  });

  it("has the same translation keys in Arabic and English", () => {
    const keys = (o: object, prefix = ""): string[] => Object.entries(o).flatMap(([k, v]) => (v && typeof v === "object" ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(keys(en).sort()).toEqual(keys(ar).sort());
  });
});
