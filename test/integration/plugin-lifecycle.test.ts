import crypto from "node:crypto";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badSettingsPlugin, noOrgIdPlugin, templatePlugin, throwingPlugin, upgradePlugin } from "../fixtures/plugins/lifecycle";
import { notices } from "../fixtures/plugins/registry";
import { publishFixture } from "../fixtures/workflows";
import { actorFor } from "./engine-helpers";
import { makeOrg, testDb, testOwnerDb, type TestOrg } from "./helpers";
import { startCase } from "~/models/cases.server";
import { publishForm } from "~/models/forms.server";
import { exportPluginData, pluginDataCounts, uninstallPlugin } from "~/models/plugin-data.server";
import { enabledPluginIds, setPluginEnabled } from "~/models/plugin-orgs.server";
import { acceptTemplateUpgrade, installTemplates, templateStatuses } from "~/models/plugin-templates.server";
import { createDraftFrom, discardDraft, getDefinition, getVersion, publish, saveDraft } from "~/models/workflow-definitions.server";
import type { DefinitionGraph } from "~/engine/definition";
import type { DB } from "~/utils/db-types";
import { withTenant, type Tx } from "~/utils/db.server";
import { setLogLevel } from "~/utils/log.server";
import { grantAppRole } from "~/utils/migrate.server";
import { loadPlugins as load, type PluginRegistry } from "~/utils/plugins.server";
import { createNotice } from "~plugins/notices/notices.server";

// A plugin's life in organisations: broken plugins contained, upgrades that fail rolled back,
// template upgrades offered without overwriting the organisation's edits, export and uninstall.

setLogLevel("silent");
const db = () => testDb();
const suffix = crypto.randomBytes(3).toString("hex");
const actorOf = (t: TestOrg) => ({ orgId: t.org.id, actorUserId: t.admin.id, actorLabel: t.admin.email, requestId: "t", ip: "127.0.0.1" });
const as = <T>(t: TestOrg, fn: (trx: Tx) => Promise<T>) => withTenant(db(), { orgId: t.org.id, userId: t.admin.id }, fn);

/** What the bootstrap does: load, then grant the app role the plugins' new tables. */
async function loadPlugins(owner: Kysely<unknown>, registry: Parameters<typeof load>[1]): Promise<PluginRegistry> {
  const loaded = await load(owner, registry);
  await grantAppRole(owner);
  return loaded;
}

async function tableExists(owner: Kysely<unknown>, name: string): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = ${name}`.execute(owner);
  return r.rows[0]!.n === 1;
}

describe("broken plugins are contained", () => {
  const owner = testOwnerDb();
  afterAll(() => owner.destroy());

  it("a bad settings schema, a table without org_id and a throwing node kind disable or fail only themselves", async () => {
    const bad = `fx-badset-${suffix}`;
    const noOrg = `fx-noorg-${suffix}`;
    const boom = `fx-boom-${suffix}`;
    const loaded = await loadPlugins(owner, [notices, badSettingsPlugin(bad), noOrgIdPlugin(noOrg), throwingPlugin(boom)]);
    const byId = Object.fromEntries(loaded.plugins.map((p) => [p.id, p]));
    expect(byId[bad]).toMatchObject({ status: "disabled", error: { code: "invalid_contribution" } });
    expect(byId[bad]!.error!.detail).toContain('property "days" has no default');
    expect(byId[noOrg]).toMatchObject({ status: "disabled", error: { code: "org_id_missing" } });
    expect(await tableExists(owner, `${noOrg.replace(/-/g, "_")}_global`)).toBe(false);
    expect(byId[boom]!.status).toBe("active");
    expect(byId.notices!.status).toBe("active");

    // The throwing step becomes a retryable incident; its half-done write is rolled back.
    const t = await makeOrg();
    await as(t, (trx) => setPluginEnabled(trx, actorOf(t), boom, true));
    await publishFixture(db(), t.org.id, {
      key: "boom-flow",
      name: { ar: "تجربة", en: "Test" },
      direction: "rtl",
      lanes: [],
      nodes: [
        { id: "start", kind: "start", name: { ar: "", en: "" } },
        { id: "act", kind: "action", actionType: `${boom}.explode`, config: {}, name: { ar: "تنفجر", en: "Explodes" } },
        { id: "end", kind: "end", name: { ar: "", en: "" } },
      ],
      edges: [
        { id: "f1", source: "start", target: "act" },
        { id: "f2", source: "act", target: "end" },
      ],
    } as DefinitionGraph);
    const staff = await actorFor(t.org.id, t.staff.id);
    const started = await withTenant(db(), { orgId: t.org.id, userId: t.staff.id }, (trx) => startCase(trx, staff, { definitionKey: "boom-flow", data: {} }));
    expect(started.status).toBe("incident");
    const incident = await as(t, (trx) => trx.selectFrom("incidents").select(["reason", "detail"]).where("case_id", "=", started.caseId).executeTakeFirstOrThrow());
    expect(incident).toEqual({ reason: "action_failed", detail: "the remote service answered 500" });
    expect((await as(t, (trx) => pluginDataCounts(trx, t.org.id, boom))).tables).toEqual({ [`${boom.replace(/-/g, "_")}_item`]: 0 });
  });

  it("a version bump whose migration fails rolls back and leaves the plugin disabled with the error; the old version's data stays", async () => {
    const id = `fx-upg-${suffix}`;
    const table = `${id.replace(/-/g, "_")}_item`;
    const v1 = await loadPlugins(owner, [upgradePlugin(id, "1.0.0")]);
    expect(v1.plugins[0]).toMatchObject({ status: "active", installedVersion: "1.0.0", upgradedFrom: null });
    const t = await makeOrg();
    await as(t, (trx) => setPluginEnabled(trx, actorOf(t), id, true));
    await as(t, (trx) => sql`INSERT INTO ${sql.table(table)} (org_id, label) VALUES (${t.org.id}, 'قبل الترقية')`.execute(trx));

    const v2 = await loadPlugins(owner, [upgradePlugin(id, "1.1.0")]);
    expect(v2.plugins[0]).toMatchObject({ status: "disabled", version: "1.1.0", installedVersion: "1.0.0", error: { code: "migration_failed" } });
    expect(v2.plugins[0]!.error!.detail).toMatch(/^0002_broken: /);
    const columns = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = ${table} ORDER BY column_name`.execute(owner);
    expect(columns.rows.map((c) => c.column_name)).toEqual(["id", "label", "org_id"]);
    const state = await (owner as Kysely<DB>).selectFrom("plugin_state").select(["status", "version", "installed_version", "error"]).where("plugin_id", "=", id).executeTakeFirstOrThrow();
    expect(state).toMatchObject({ status: "disabled", version: "1.1.0", installed_version: "1.0.0" });
    expect(state.error).toMatch(/^\[migration_failed\] 0002_broken/);
    // Not usable in the organisation any more, but the organisation's choice and data are kept.
    expect(await as(t, (trx) => enabledPluginIds(trx, t.org.id))).not.toContain(id);
    expect((await as(t, (trx) => pluginDataCounts(trx, t.org.id, id))).tables[table]).toBe(1);

    const back = await loadPlugins(owner, [upgradePlugin(id, "1.0.0")]);
    expect(back.plugins[0]).toMatchObject({ status: "active", installedVersion: "1.0.0", migrationsApplied: [] });
    expect(await as(t, (trx) => enabledPluginIds(trx, t.org.id))).toContain(id);
  });
});

describe("templates", () => {
  const owner = testOwnerDb();
  const id = `fx-tpl-${suffix}`;
  afterAll(() => owner.destroy());

  it("installing copies the templates as drafts; an upgrade is offered and never overwrites the organisation's edits", async () => {
    await loadPlugins(owner, [templatePlugin(id, 1)]);
    const t = await makeOrg();
    const actor = actorOf(t);
    // A form with the template's key already exists: the copy gets another key and the workflow follows it.
    await as(t, (trx) => trx.insertInto("form_definitions").values({ org_id: t.org.id, key: "request-form", name_ar: "قائم", name_en: "Existing" }).execute());
    await as(t, (trx) => setPluginEnabled(trx, actor, id, true));
    const installed = await as(t, (trx) => installTemplates(trx, actor, id));
    expect(installed).toEqual([
      { kind: "form", key: "request-form", targetKey: "request-form-2" },
      { kind: "workflow", key: "request-flow", targetKey: "request-flow" },
    ]);
    expect(await as(t, (trx) => installTemplates(trx, actor, id))).toEqual([]);
    const statuses = await as(t, (trx) => templateStatuses(trx, t.org.id, id));
    const wf = statuses.find((s) => s.kind === "workflow")!;
    expect(wf).toMatchObject({ version: 1, installed: { version: 1, targetKey: "request-flow" }, upgradeAvailable: false });
    const definitionId = wf.installed!.targetId;

    // The organisation redraws the draft (renames a step) and publishes it.
    const detail = (await as(t, (trx) => getDefinition(trx, t.org.id, definitionId)))!;
    expect(detail.draft!.graph.nodes.find((n) => n.id === "write")).toMatchObject({ form: "request-form-2" });
    const edited = structuredClone(detail.draft!.graph);
    edited.nodes.find((n) => n.id === "write")!.name = { ar: "كتابة الطلب كما تريده الجهة", en: "Our own wording" };
    expect(await as(t, (trx) => saveDraft(trx, actor, definitionId, edited, detail.draft!.lockVersion))).toMatchObject({ ok: true });
    const formId = statuses.find((s) => s.kind === "form")!.installed!.targetId;
    expect((await as(t, (trx) => publishForm(trx, actor, formId, 1))).ok).toBe(true);
    const published = await as(t, (trx) => publish(trx, actor, definitionId, "نسختنا"));
    expect(published).toMatchObject({ ok: true, version: 1 });

    // The plugin is upgraded: the new template version is offered.
    const upgraded = await loadPlugins(owner, [templatePlugin(id, 2)]);
    expect(upgraded.plugins[0]).toMatchObject({ status: "active", upgradedFrom: "1.0.0", installedVersion: "1.1.0" });
    const offered = (await as(t, (trx) => templateStatuses(trx, t.org.id, id))).find((s) => s.kind === "workflow")!;
    expect(offered).toMatchObject({ version: 2, installed: { version: 1 }, upgradeAvailable: true });

    // An unpublished draft of the organisation's own is never replaced.
    const own = await as(t, (trx) => createDraftFrom(trx, actor, definitionId, published.ok ? published.versionId : ""));
    expect(own.ok).toBe(true);
    expect(await as(t, (trx) => acceptTemplateUpgrade(trx, actor, id, "workflow", "request-flow"))).toEqual({ ok: false, reason: "draft_exists" });
    expect((await as(t, (trx) => getDefinition(trx, t.org.id, definitionId)))!.draft!.graph.nodes.map((n) => n.id)).toEqual(["start", "write", "end"]);
    await as(t, (trx) => discardDraft(trx, actor, definitionId));

    expect(await as(t, (trx) => acceptTemplateUpgrade(trx, actor, id, "workflow", "request-flow"))).toEqual({ ok: true, version: 2, targetKey: "request-flow" });
    const after = (await as(t, (trx) => getDefinition(trx, t.org.id, definitionId)))!;
    expect(after.draft!.graph.nodes.map((n) => n.id)).toEqual(["start", "write", "review", "end"]);
    expect(after.draft!.graph.nodes.find((n) => n.id === "write")).toMatchObject({ form: "request-form-2" });
    // The organisation's published version keeps its own wording.
    const v1 = await as(t, (trx) => getVersion(trx, t.org.id, definitionId, published.ok ? published.versionId : ""));
    expect(v1!.graph.nodes.find((n) => n.id === "write")!.name.ar).toBe("كتابة الطلب كما تريده الجهة");
    expect((await as(t, (trx) => templateStatuses(trx, t.org.id, id))).find((s) => s.kind === "workflow")).toMatchObject({ installed: { version: 2 }, upgradeAvailable: false });
    expect(await as(t, (trx) => acceptTemplateUpgrade(trx, actor, id, "workflow", "request-flow"))).toEqual({ ok: false, reason: "up_to_date" });
    const audit = await as(t, (trx) =>
      trx.selectFrom("audit_log").select(["action", "after"]).where("org_id", "=", t.org.id).where("action", "=", "plugin.template_upgrade").execute(),
    );
    expect(audit).toEqual([{ action: "plugin.template_upgrade", after: { kind: "workflow", key: "request-flow", version: 2, targetKey: "request-flow" } }]);
  });
});

describe("export and uninstall", () => {
  const owner = testOwnerDb();
  beforeAll(() => loadPlugins(owner, [notices]));
  afterAll(() => owner.destroy());

  it("uninstall is refused while data exists that was not exported as it is; it then removes only that organisation's data", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    for (const t of [a, b]) {
      await as(t, (trx) => setPluginEnabled(trx, actorOf(t), "notices", true));
      await as(t, (trx) => createNotice(trx, actorOf(t), { title: "إعلان للتصدير", body: "نص" }));
    }
    expect(await as(a, (trx) => uninstallPlugin(trx, actorOf(a), "notices"))).toEqual({ ok: false, reason: "still_enabled" });
    await as(a, (trx) => setPluginEnabled(trx, actorOf(a), "notices", false));
    const refused = await as(a, (trx) => uninstallPlugin(trx, actorOf(a), "notices"));
    expect(refused).toEqual({ ok: false, reason: "export_required", counts: { tables: { notices_notice: 1 }, settingsVersions: 1, total: 2 } });

    const exported = await as(a, (trx) => exportPluginData(trx, actorOf(a), a.org, "notices"));
    expect(exported).toMatchObject({ format: "masar-plugin-export", plugin: { id: "notices", version: "1.1.0" }, organisation: { id: a.org.id } });
    expect(exported.tables.notices_notice).toEqual([expect.objectContaining({ title: "إعلان للتصدير", org_id: a.org.id })]);
    expect(exported.settingsVersions).toEqual([expect.objectContaining({ version: 1, values: { displayDays: 14, approver: "manager", signature: "" } })]);

    // Data changed after the export: export again first.
    await as(a, (trx) => createNotice(trx, actorOf(a), { title: "أُضيف بعد التصدير", body: "نص" }));
    expect(await as(a, (trx) => uninstallPlugin(trx, actorOf(a), "notices"))).toMatchObject({ ok: false, reason: "export_required" });
    await as(a, (trx) => exportPluginData(trx, actorOf(a), a.org, "notices"));
    expect(await as(a, (trx) => uninstallPlugin(trx, actorOf(a), "notices"))).toEqual({ ok: true, removed: { tables: { notices_notice: 2 }, settingsVersions: 1, total: 3 } });

    expect(await as(a, (trx) => pluginDataCounts(trx, a.org.id, "notices"))).toEqual({ tables: { notices_notice: 0 }, settingsVersions: 0, total: 0 });
    expect((await as(b, (trx) => pluginDataCounts(trx, b.org.id, "notices"))).total).toBe(2);
    expect(await as(a, (trx) => trx.selectFrom("plugin_orgs").select("plugin_id").where("org_id", "=", a.org.id).execute())).toEqual([]);
    const audit = await as(a, (trx) =>
      trx.selectFrom("audit_log").select("action").where("org_id", "=", a.org.id).where("subject_type", "=", "Plugin").orderBy("seq").execute(),
    );
    expect(audit.map((r) => r.action)).toEqual(["plugin.enable", "plugin.settings", "plugin.disable", "plugin.export", "plugin.export", "plugin.uninstall"]);
    // Enabled again later, it starts afresh.
    expect(await as(a, (trx) => setPluginEnabled(trx, actorOf(a), "notices", true))).toEqual({ ok: true, changed: true, settingsVersion: 1 });
  });

  it("a plugin without data uninstalls without an export", async () => {
    const t = await makeOrg();
    await as(t, (trx) => trx.insertInto("plugin_orgs").values({ org_id: t.org.id, plugin_id: "notices", enabled: false }).execute());
    expect(await as(t, (trx) => uninstallPlugin(trx, actorOf(t), "notices"))).toEqual({ ok: true, removed: { tables: { notices_notice: 0 }, settingsVersions: 0, total: 0 } });
    expect(await as(t, (trx) => uninstallPlugin(trx, actorOf(t), "notices"))).toEqual({ ok: false, reason: "not_installed" });
  });
});
