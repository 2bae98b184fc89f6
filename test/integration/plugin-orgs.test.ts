import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notices } from "../fixtures/plugins/registry";
import { actorFor } from "./engine-helpers";
import { makeOrg, testDb, testOwnerDb, type TestOrg } from "./helpers";
import { startCase } from "~/models/cases.server";
import { publishForm } from "~/models/forms.server";
import { retryIncident } from "~/models/incidents.server";
import { listActionKinds, PluginDisabledError } from "~/models/plugin-node-kinds.server";
import {
  enabledPluginIds,
  getSettingsVersion,
  listSettingsVersions,
  refuseDisabledPluginPath,
  savePluginSettings,
  setPluginEnabled,
} from "~/models/plugin-orgs.server";
import { installTemplates } from "~/models/plugin-templates.server";
import { completeTask } from "~/models/tasks.server";
import { publish } from "~/models/workflow-definitions.server";
import { withTenant, type Tx } from "~/utils/db.server";
import { setLogLevel } from "~/utils/log.server";
import { navEntries } from "~/utils/navigation.server";
import { buildAbility } from "~/utils/permissions.server";
import { runPluginJob } from "~/utils/plugin-jobs.server";
import { loadPlugins, pluginRegistry } from "~/utils/plugins.server";
import type { NoticesTables } from "~plugins/notices/db";

// The notice board per organisation: enabling, settings (validated, versioned, audited),
// templates copied in, node kinds and jobs only where enabled, and the policy a case started
// under staying with the case.

setLogLevel("silent");
const db = () => testDb();
const DAY = 24 * 60 * 60 * 1000;

const actorOf = (t: TestOrg, user: { id: string; email: string } = t.admin) => ({ orgId: t.org.id, actorUserId: user.id, actorLabel: user.email, requestId: "t", ip: "127.0.0.1" });
const as = <T>(t: TestOrg, fn: (trx: Tx) => Promise<T>, userId = t.admin.id) => withTenant(db(), { orgId: t.org.id, userId }, fn);

/** Enables notices, saves the settings, installs and publishes the templates. */
async function setUp(t: TestOrg, settings: Record<string, unknown>) {
  await as(t, async (trx) => {
    const actor = actorOf(t);
    const enabled = await setPluginEnabled(trx, actor, "notices", true);
    if (!enabled.ok) throw new Error(enabled.reason);
    const saved = await savePluginSettings(trx, actor, "notices", { values: settings, expectedVersion: enabled.settingsVersion, locale: "ar" });
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    const installed = await installTemplates(trx, actor, "notices");
    expect(installed.map((i) => `${i.kind}:${i.targetKey}`)).toEqual(["form:notice-request", "workflow:publish-notice"]);
    const form = await trx.selectFrom("form_definitions").select("id").where("org_id", "=", t.org.id).where("key", "=", "notice-request").executeTakeFirstOrThrow();
    expect((await publishForm(trx, actor, form.id, 1)).ok).toBe(true);
    const def = await trx.selectFrom("workflow_definitions").select("id").where("org_id", "=", t.org.id).where("key", "=", "publish-notice").executeTakeFirstOrThrow();
    const published = await publish(trx, actor, def.id, "");
    expect(published).toMatchObject({ ok: true });
  });
}

async function startNotice(t: TestOrg, title: string) {
  const staff = await actorFor(t.org.id, t.staff.id);
  const started = await as(t, (trx) => startCase(trx, staff, { definitionKey: "publish-notice", data: {} }), t.staff.id);
  expect(started.tasks.map((x) => x.nodeId)).toEqual(["prepare"]);
  const done = await as(t, (trx) => completeTask(trx, staff, started.tasks[0]!.id, { data: { title, body: "نص الإعلان للموظفين." } }), t.staff.id);
  return { caseId: started.caseId, after: done };
}

const caseRow = (t: TestOrg, caseId: string) =>
  as(t, (trx) => trx.selectFrom("cases").select(["status", "data", "plugin_settings"]).where("id", "=", caseId).executeTakeFirstOrThrow());
const noticesOf = (t: TestOrg) =>
  as(t, (trx) => trx.withTables<NoticesTables>().selectFrom("notices_notice").select(["id", "title", "expires_at", "signature", "case_id", "archived_at"]).orderBy("created_at").execute());

describe("plugins per organisation", () => {
  const owner = testOwnerDb();
  beforeAll(async () => {
    const loaded = await loadPlugins(owner, [notices]);
    expect(loaded.plugins[0]).toMatchObject({ id: "notices", status: "active", version: "1.1.0" });
  });
  afterAll(() => owner.destroy());

  it("two organisations with different settings get different behaviour from the same template", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    await setUp(a, { displayDays: 30, approver: "manager", signature: "إدارة خدمة المتعاملين" });
    await setUp(b, { displayDays: 7, approver: "none", signature: "" });

    // B: no approval, published at once for 7 days.
    const inB = await startNotice(b, "اجتماع عام");
    expect(inB.after.caseStatus).toBe("completed");
    const [bNotice] = await noticesOf(b);
    expect(bNotice).toMatchObject({ title: "اجتماع عام", signature: null, case_id: inB.caseId });
    const bCase = await caseRow(b, inB.caseId);
    expect(bCase.data).toMatchObject({ approver: "none", displayDays: 7, noticeId: bNotice!.id });
    expect(Math.round((bNotice!.expires_at!.getTime() - Date.now()) / DAY)).toBe(7);

    // A: the same template waits for a manager's approval, then publishes for 30 days with the signature.
    const inA = await startNotice(a, "تحديث ساعات العمل");
    expect(inA.after.caseStatus).toBe("running");
    expect(inA.after.tasks.map((x) => [x.nodeId, x.kind])).toEqual([["approve_manager", "gate"]]);
    expect(await noticesOf(a)).toEqual([]);
    const manager = await actorFor(a.org.id, a.manager.id);
    const approved = await as(a, (trx) => completeTask(trx, manager, inA.after.tasks[0]!.id, { outcome: "go" }), a.manager.id);
    expect(approved.caseStatus).toBe("completed");
    const [aNotice] = await noticesOf(a);
    expect(aNotice).toMatchObject({ title: "تحديث ساعات العمل", signature: "إدارة خدمة المتعاملين" });
    expect(Math.round((aNotice!.expires_at!.getTime() - Date.now()) / DAY)).toBe(30);
  });

  it("a case keeps the settings version it started under when the policy changes", async () => {
    const t = await makeOrg();
    await setUp(t, { displayDays: 10, approver: "admin", signature: "" });
    const started = await startNotice(t, "إعلان قبل تغيير السياسة");
    expect((await caseRow(t, started.caseId)).plugin_settings).toEqual({ notices: 2 });
    // The policy changes while the case waits for the admin's approval.
    await as(t, (trx) => savePluginSettings(trx, actorOf(t), "notices", { values: { displayDays: 90, approver: "none", signature: "جديد" }, expectedVersion: 2, locale: "ar" }));
    const admin = await actorFor(t.org.id, t.admin.id);
    await as(t, (trx) => completeTask(trx, admin, started.after.tasks[0]!.id, { outcome: "go" }));
    const [notice] = await noticesOf(t);
    expect(Math.round((notice!.expires_at!.getTime() - Date.now()) / DAY)).toBe(10);
    expect(notice!.signature).toBeNull();
    // A case started now runs under version 3.
    const later = await startNotice(t, "إعلان بعد التغيير");
    expect((await caseRow(t, later.caseId)).plugin_settings).toEqual({ notices: 3 });
    expect(later.after.caseStatus).toBe("completed");
  });

  it("settings are validated, versioned, frozen and audit-logged with before and after", async () => {
    const t = await makeOrg();
    const actor = actorOf(t);
    const first = await as(t, (trx) => setPluginEnabled(trx, actor, "notices", true));
    expect(first).toEqual({ ok: true, changed: true, settingsVersion: 1 });
    expect((await as(t, (trx) => getSettingsVersion(trx, t.org.id, "notices")))!.values).toEqual({ displayDays: 14, approver: "manager", signature: "" });

    const invalid = await as(t, (trx) => savePluginSettings(trx, actor, "notices", { values: { displayDays: 0, approver: "everyone", extra: 1 }, expectedVersion: 1, locale: "ar" }));
    expect(invalid.ok).toBe(false);
    const paths = invalid.ok === false && invalid.reason === "invalid" ? invalid.errors.map((e) => e.path).sort() : [];
    expect(paths).toEqual(["/approver", "/displayDays", "/extra"]);

    // Missing optional values take their defaults.
    expect(await as(t, (trx) => savePluginSettings(trx, actor, "notices", { values: { displayDays: 21, approver: "admin" }, expectedVersion: 1, locale: "ar" }))).toEqual({
      ok: true,
      version: 2,
      changed: true,
    });
    expect(await as(t, (trx) => savePluginSettings(trx, actor, "notices", { values: { displayDays: 5, approver: "none" }, expectedVersion: 1, locale: "en" }))).toEqual({
      ok: false,
      reason: "stale",
      currentVersion: 2,
    });
    // Saving the same values again makes no new version.
    expect(await as(t, (trx) => savePluginSettings(trx, actor, "notices", { values: { displayDays: 21, approver: "admin", signature: "" }, expectedVersion: 2, locale: "ar" }))).toEqual({
      ok: true,
      version: 2,
      changed: false,
    });
    const versions = await as(t, (trx) => listSettingsVersions(trx, t.org.id, "notices"));
    expect(versions.map((v) => [v.version, v.values.displayDays, v.pluginVersion])).toEqual([
      [2, 21, "1.1.0"],
      [1, 14, "1.1.0"],
    ]);
    // History is never rewritten, not even by the application role.
    await expect(as(t, (trx) => trx.updateTable("plugin_settings_versions").set({ plugin_version: "x" }).where("org_id", "=", t.org.id).execute())).rejects.toThrow(/cannot be changed/);

    const audit = await as(t, (trx) =>
      trx.selectFrom("audit_log").select(["action", "before", "after"]).where("org_id", "=", t.org.id).where("subject_type", "=", "Plugin").orderBy("seq").execute(),
    );
    expect(audit).toEqual([
      { action: "plugin.enable", before: { enabled: false }, after: { enabled: true, version: "1.1.0" } },
      { action: "plugin.settings", before: null, after: { version: 1, values: { displayDays: 14, approver: "manager", signature: "" } } },
      {
        action: "plugin.settings",
        before: { version: 1, values: { displayDays: 14, approver: "manager", signature: "" } },
        after: { version: 2, values: { displayDays: 21, approver: "admin", signature: "" } },
      },
    ]);
  });

  it("disabling hides the plugin and blocks its node kinds, routes and jobs; its data stays", async () => {
    const t = await makeOrg();
    const other = await makeOrg();
    await setUp(t, { displayDays: 3, approver: "manager", signature: "" });
    await as(other, (trx) => setPluginEnabled(trx, actorOf(other), "notices", true));
    const admin = buildAbility([{ action: "manage", subject: "all" }]);
    const navKeys = (enabled: ReadonlySet<string>) => navEntries({ ability: admin }, enabled).map((e) => e.key);

    const kinds = await as(t, (trx) => listActionKinds(trx, t.org.id));
    expect(kinds.map((k) => k.actionType)).toEqual(["notices.applyPolicy", "notices.publish"]);
    expect(kinds[1]).toMatchObject({ pluginId: "notices", name: { ar: "نشر الإعلان", en: "Publish the notice" }, configSchema: { type: "object" } });
    expect(kinds[1]!.configTranslations.ar["nodeKinds.publish.pinned"]).toBe("تثبيت الإعلان أعلى اللوحة");
    expect(navKeys(await as(t, (trx) => enabledPluginIds(trx, t.org.id)))).toContain("notices:board");

    // A case started while enabled waits at the manager's approval; an expired notice waits for the job.
    const waiting = await startNotice(t, "إعلان ينتظر الاعتماد");
    const expired = async (org: TestOrg) =>
      as(org, (trx) =>
        trx
          .withTables<NoticesTables>()
          .insertInto("notices_notice")
          .values({ org_id: org.org.id, title: "منتهي", body: "انتهت مدته", created_by: org.admin.id, expires_at: new Date(Date.now() - DAY) })
          .returning("id")
          .executeTakeFirstOrThrow(),
      );
    await expired(t);
    await expired(other);

    expect(await as(t, (trx) => setPluginEnabled(trx, actorOf(t), "notices", false))).toMatchObject({ ok: true, changed: true });
    expect(await as(t, (trx) => listActionKinds(trx, t.org.id))).toEqual([]);
    expect(navKeys(await as(t, (trx) => enabledPluginIds(trx, t.org.id)))).not.toContain("notices:board");
    const ctx = { scope: { orgId: t.org.id }, org: { id: t.org.id, slug: t.org.slug } };
    for (const path of ["notices", "notices.data", "notices/archive"]) {
      await expect(refuseDisabledPluginPath(ctx, new Request(`http://masar.test/app/${t.org.slug}/${path}`))).rejects.toMatchObject({ init: { status: 404 } });
    }
    await expect(refuseDisabledPluginPath(ctx, new Request(`http://masar.test/app/${t.org.slug}/inbox`))).resolves.toBeUndefined();
    await expect(refuseDisabledPluginPath({ ...ctx, scope: { orgId: other.org.id }, org: { id: other.org.id, slug: other.org.slug } }, new Request(`http://masar.test/app/${other.org.slug}/notices`))).resolves.toBeUndefined();

    // Starting the workflow is refused with the plugin named; the waiting case raises a clear incident.
    const staff = await actorFor(t.org.id, t.staff.id);
    const refused = await as(t, (trx) => startCase(trx, staff, { definitionKey: "publish-notice", data: {} }), t.staff.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PluginDisabledError);
    expect(refused).toMatchObject({ status: 409, code: "plugin_disabled", plugins: [{ id: "notices", names: { ar: "لوحة الإعلانات" }, actionTypes: ["notices.applyPolicy", "notices.publish"] }] });
    const manager = await actorFor(t.org.id, t.manager.id);
    const approved = await as(t, (trx) => completeTask(trx, manager, waiting.after.tasks[0]!.id, { outcome: "go" }), t.manager.id);
    expect(approved.caseStatus).toBe("incident");
    const incidents = await as(t, (trx) => trx.selectFrom("incidents").select(["id", "reason", "detail"]).where("case_id", "=", waiting.caseId).execute());
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.reason).toBe("plugin_disabled");
    expect(incidents[0]!.detail).toContain("الإضافة «لوحة الإعلانات» غير مفعّلة في هذه الجهة");
    expect(incidents[0]!.detail).toContain('The plugin "Notice board" is not enabled in this organisation');

    // Its jobs skip the organisation; its data is kept.
    const job = pluginRegistry().plugins.find((p) => p.id === "notices")!.server!.jobs![0]!;
    const ran = await runPluginJob(db(), { pluginId: "notices", job });
    expect(ran.failed).toBe(0);
    const archived = async (org: TestOrg) => (await noticesOf(org)).filter((n) => n.archived_at !== null).length;
    expect(await archived(other)).toBe(1);
    expect(await archived(t)).toBe(0);
    expect(await noticesOf(t)).toHaveLength(1);

    // Enabled again, the incident is retried and the notice published.
    await as(t, (trx) => setPluginEnabled(trx, actorOf(t), "notices", true));
    const adminActor = await actorFor(t.org.id, t.admin.id);
    const retried = await as(t, (trx) => retryIncident(trx, adminActor, incidents[0]!.id));
    expect(retried.caseStatus).toBe("completed");
    expect((await noticesOf(t)).map((n) => n.title)).toContain("إعلان ينتظر الاعتماد");
  });

  it("a plugin cannot be enabled before its dependencies, nor disabled while another needs it", async () => {
    const t = await makeOrg();
    const fake = { ...pluginRegistry().plugins.find((p) => p.id === "notices")!, id: "fx-needs-notices", dependsOn: ["notices"], server: null };
    pluginRegistry().plugins.push(fake);
    try {
      expect(await as(t, (trx) => setPluginEnabled(trx, actorOf(t), "fx-needs-notices", true))).toEqual({ ok: false, reason: "dependency_not_enabled", pluginIds: ["notices"] });
      await as(t, (trx) => setPluginEnabled(trx, actorOf(t), "notices", true));
      expect(await as(t, (trx) => setPluginEnabled(trx, actorOf(t), "fx-needs-notices", true))).toMatchObject({ ok: true });
      expect(await as(t, (trx) => setPluginEnabled(trx, actorOf(t), "notices", false))).toEqual({ ok: false, reason: "required_by", pluginIds: ["fx-needs-notices"] });
      expect(await as(t, (trx) => setPluginEnabled(trx, actorOf(t), "fx-nowhere", true))).toEqual({ ok: false, reason: "unknown_plugin" });
    } finally {
      pluginRegistry().plugins.splice(pluginRegistry().plugins.indexOf(fake), 1);
    }
  });

  it("plugin tables of organisations stay apart (RLS on the new tables)", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    await as(a, (trx) => setPluginEnabled(trx, actorOf(a), "notices", true));
    const seen = await as(b, (trx) => trx.selectFrom("plugin_settings_versions").select("org_id").execute());
    expect(seen.every((r) => r.org_id === b.org.id)).toBe(true);
    const r = await sql<{ relname: string; relforcerowsecurity: boolean }>`
      SELECT relname, relforcerowsecurity FROM pg_class WHERE relname IN ('plugin_orgs', 'plugin_settings_versions', 'plugin_templates') ORDER BY relname`.execute(owner);
    expect(r.rows).toEqual([
      { relname: "plugin_orgs", relforcerowsecurity: true },
      { relname: "plugin_settings_versions", relforcerowsecurity: true },
      { relname: "plugin_templates", relforcerowsecurity: true },
    ]);
  });
});
