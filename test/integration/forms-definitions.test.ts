import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import {
  archiveForm,
  createForm,
  formExists,
  getDraftVersion,
  getFormVersion,
  getLatestPublishedVersion,
  listForms,
  listFormVersions,
  publishForm,
  saveDraft,
} from "~/models/forms.server";
import { grantFormRules } from "~migrations/0004_forms";
import { withTenant } from "~/utils/db.server";
import { asSubject, buildAbility } from "~/utils/permissions.server";
import { abilityFor, actorFor, asMember, publishedForm } from "./forms-helpers";
import { makeOrg, testDb, testOwnerDb, uniqueSlug } from "./helpers";

const owner = testOwnerDb();
afterAll(() => owner.destroy());

const safeContent = {
  schema: { type: "object", required: ["name"], properties: { name: { type: "string", title: "t:name.title", maxLength: 100 } } },
  uiSchema: {},
  translations: { ar: { "name.title": "الاسم" }, en: { "name.title": "Name" } },
};

async function counts(orgId: string) {
  const r = await sql<{ versions: number; audit: number }>`
    SELECT (SELECT count(*)::int FROM form_versions WHERE org_id = ${orgId}) AS versions,
           (SELECT count(*)::int FROM audit_log WHERE org_id = ${orgId}) AS audit`.execute(owner);
  return r.rows[0]!;
}

describe("form definitions", () => {
  it("creating checks the schema: an unsafe one stores nothing at all", async () => {
    const t = await makeOrg();
    const before = await counts(t.org.id);
    const result = await asMember(t, "admin", (trx) =>
      createForm(trx, actorFor(t, "admin"), {
        key: uniqueSlug("f"),
        name_ar: "نموذج",
        name_en: "Form",
        content: { ...safeContent, schema: { type: "object", properties: { id: { type: "string", pattern: "^(\\d+)+$" } } } },
      }),
    );
    expect(result).toMatchObject({ ok: false, reason: "invalid", problems: [{ code: "patternNestedQuantifier" }] });
    expect(await counts(t.org.id)).toEqual(before);
    const defs = await sql`SELECT 1 FROM form_definitions WHERE org_id = ${t.org.id}`.execute(owner);
    expect(defs.rows).toHaveLength(0);
  });

  it("saving a draft with an unsafe schema (remote $ref) is refused and the draft is unchanged", async () => {
    const t = await makeOrg();
    const admin = actorFor(t, "admin");
    const { id } = await asMember(t, "admin", async (trx) => {
      const r = await createForm(trx, admin, { key: uniqueSlug("f"), name_ar: "نموذج", name_en: "Form", content: safeContent });
      return r.ok ? r.value : Promise.reject(new Error("create"));
    });
    const before = await counts(t.org.id);
    const bad = await asMember(t, "admin", (trx) =>
      saveDraft(trx, admin, id, { ...safeContent, schema: { type: "object", properties: { a: { $ref: "https://evil.example/s.json" } } }, lockVersion: 1 }),
    );
    expect(bad).toMatchObject({ ok: false, reason: "invalid", problems: [{ code: "refNotLocal" }] });
    expect(await counts(t.org.id)).toEqual(before);
    const draft = await asMember(t, "admin", (trx) => getDraftVersion(trx, t.org.id, id));
    expect(draft).toMatchObject({ lock_version: 1, schema: safeContent.schema });
  });

  it("publish refuses a draft whose Arabic texts are missing and stores nothing; then numbers versions 1, 2", async () => {
    const t = await makeOrg();
    const admin = actorFor(t, "admin");
    const key = uniqueSlug("f");
    const id = await asMember(t, "admin", async (trx) => {
      const r = await createForm(trx, admin, { key, name_ar: "نموذج", name_en: "Form", content: { ...safeContent, translations: { ar: {}, en: { "name.title": "Name" } } } });
      if (!r.ok) throw new Error("create");
      expect(r.warnings.map((w) => w.code)).toEqual(["translationMissing"]); // a draft may be incomplete
      return r.value.id;
    });
    const before = await counts(t.org.id);
    const refused = await asMember(t, "admin", (trx) => publishForm(trx, admin, id, 1));
    expect(refused).toMatchObject({ ok: false, reason: "invalid", problems: [{ code: "translationMissing", severity: "error", params: { locale: "ar" } }] });
    expect(await counts(t.org.id)).toEqual(before);
    expect(await asMember(t, "admin", (trx) => formExists(trx, key))).toBe(false);

    await asMember(t, "admin", (trx) => saveDraft(trx, admin, id, { ...safeContent, lockVersion: 1 }));
    const first = await asMember(t, "admin", (trx) => publishForm(trx, admin, id, 2));
    expect(first).toMatchObject({ ok: true, value: { version: 1 } });
    expect(await asMember(t, "admin", (trx) => formExists(trx, key))).toBe(true);
    // After a publish there is no draft: the next save starts one from lock version 0.
    expect(await asMember(t, "admin", (trx) => saveDraft(trx, admin, id, { ...safeContent, lockVersion: 5 }))).toMatchObject({ ok: false, reason: "conflict" });
    const next = await asMember(t, "admin", (trx) => saveDraft(trx, admin, id, { ...safeContent, lockVersion: 0, changeNote: "حقل جديد" }));
    expect(next).toMatchObject({ ok: true, value: { lockVersion: 1 } });
    const second = await asMember(t, "admin", (trx) => publishForm(trx, admin, id, 1));
    expect(second).toMatchObject({ ok: true, value: { version: 2 } });
    const versions = await asMember(t, "admin", (trx) => listFormVersions(trx, t.org.id, id));
    expect(versions.map((v) => [v.version, v.status])).toEqual([[2, "published"], [1, "published"]]);
    const latest = await asMember(t, "admin", (trx) => getLatestPublishedVersion(trx, t.org.id, { key }));
    expect(latest?.version).toBe(2);
    const actions = await sql<{ action: string }>`SELECT action FROM audit_log WHERE org_id = ${t.org.id} AND subject_id = ${id} ORDER BY seq`.execute(owner);
    expect(actions.rows.map((r) => r.action)).toEqual(["form.create", "form.draft_save", "form.publish", "form.draft_save", "form.publish"]);
  });

  it("a stale lock version on the draft is a conflict that says what is current", async () => {
    const t = await makeOrg();
    const admin = actorFor(t, "admin");
    const id = await asMember(t, "admin", async (trx) => {
      const r = await createForm(trx, admin, { key: uniqueSlug("f"), name_ar: "نموذج", name_en: "Form", content: safeContent });
      return r.ok ? r.value.id : "";
    });
    expect(await asMember(t, "admin", (trx) => saveDraft(trx, admin, id, { ...safeContent, lockVersion: 1 }))).toMatchObject({ ok: true, value: { lockVersion: 2 } });
    const stale = await asMember(t, "admin", (trx) => saveDraft(trx, admin, id, { ...safeContent, lockVersion: 1 }));
    expect(stale).toMatchObject({ ok: false, reason: "conflict", current: { lockVersion: 2 } });
    expect(await asMember(t, "admin", (trx) => publishForm(trx, admin, id, 1))).toMatchObject({ ok: false, reason: "conflict" });
  });

  it("published versions are immutable, even to direct SQL as the app or the owner", async () => {
    const t = await makeOrg();
    const { versionId, formId } = await publishedForm(t, safeContent);
    const tamper = sql`UPDATE form_versions SET schema = '{"type":"object","properties":{}}'::jsonb WHERE id = ${versionId}`;
    await expect(withTenant(testDb(), { orgId: t.org.id }, (trx) => tamper.execute(trx))).rejects.toThrow(/cannot be changed/);
    await expect(tamper.execute(owner)).rejects.toThrow(/cannot be changed/);
    await expect(sql`UPDATE form_versions SET version = 7 WHERE id = ${versionId}`.execute(owner)).rejects.toThrow(/cannot be changed/);
    await expect(sql`UPDATE form_versions SET status = 'draft', version = NULL WHERE id = ${versionId}`.execute(owner)).rejects.toThrow(/cannot be changed/);
    await expect(sql`DELETE FROM form_versions WHERE id = ${versionId}`.execute(owner)).rejects.toThrow(/cannot be deleted/);
    // Archiving a version is the one change allowed.
    await sql`UPDATE form_versions SET status = 'archived' WHERE id = ${versionId}`.execute(owner);
    const row = await asMember(t, "admin", (trx) => getFormVersion(trx, t.org.id, versionId));
    expect(row).toMatchObject({ status: "archived", version: 1, schema: safeContent.schema });
    // saveDraft never touches it: a new draft row is created instead.
    const saved = await asMember(t, "admin", (trx) => saveDraft(trx, actorFor(t, "admin"), formId, { ...safeContent, lockVersion: 0 }));
    expect(saved.ok && saved.value.id).not.toBe(versionId);
  });

  it("lists what the member may read, searches and pages; archived forms leave the list and cannot be used", async () => {
    const t = await makeOrg();
    const other = await makeOrg();
    const a = await publishedForm(t, safeContent, uniqueSlug("leave"));
    await publishedForm(t, safeContent, uniqueSlug("travel"));
    await publishedForm(other, safeContent);
    const list = (who: "admin" | "staff", q = "") =>
      asMember(t, who, (trx) => listForms(trx, t.org.id, { q, limit: 10, offset: 0, ability: abilityFor(t, who) }));
    expect((await list("staff")).total).toBe(2);
    expect((await list("staff", "leave")).rows.map((r) => r.key)).toEqual([a.key]);
    expect((await list("admin")).rows[0]).toMatchObject({ latest_version: 1, has_draft: false });
    await asMember(t, "admin", (trx) => archiveForm(trx, actorFor(t, "admin"), a.formId));
    expect((await list("staff")).total).toBe(1);
    expect(await asMember(t, "admin", (trx) => formExists(trx, a.key))).toBe(false);
    expect(await asMember(t, "admin", (trx) => saveDraft(trx, actorFor(t, "admin"), a.formId, { ...safeContent, lockVersion: 0 }))).toMatchObject({ reason: "archived" });
    // A role without any Form rule sees nothing (the SQL filter comes from the same CASL rules).
    const none = await asMember(t, "staff", (trx) => listForms(trx, t.org.id, { q: "", limit: 10, offset: 0, ability: buildAbility([]) }));
    expect(none).toEqual({ rows: [], total: 0 });
  });

  it("built-in roles: admins manage forms, managers read, create and edit their own, staff read", () => {
    return makeOrg().then((t) => {
      expect(abilityFor(t, "admin").can("manage", "Form")).toBe(true);
      expect(abilityFor(t, "manager").can("create", "Form")).toBe(true);
      // Only the forms they created (the condition is checked per form by getFormIfAllowed).
      expect(abilityFor(t, "manager").can("update", asSubject("Form", { createdBy: t.manager.id }))).toBe(true);
      expect(abilityFor(t, "manager").can("update", asSubject("Form", { createdBy: t.admin.id }))).toBe(false);
      expect(abilityFor(t, "staff").can("read", "Form")).toBe(true);
      expect(abilityFor(t, "staff").can("create", "Form")).toBe(false);
    });
  });

  it("the migration's grant gives existing built-in roles the Form rules once and never twice", async () => {
    const t = await makeOrg();
    const formRules = async (key: string) => {
      const r = await sql<{ rules: unknown[] }>`SELECT rules FROM roles WHERE org_id = ${t.org.id} AND builtin AND key = ${key}`.execute(owner);
      return r.rows[0]!.rules.filter((rule) => JSON.stringify(rule).includes('"Form"'));
    };
    // As if the organisation existed before forms: strip the grants, then run the migration step.
    await sql`UPDATE roles SET rules = (SELECT coalesce(jsonb_agg(r), '[]') FROM jsonb_array_elements(rules) r WHERE NOT r @> '{"subject": "Form"}')
              WHERE org_id = ${t.org.id} AND builtin`.execute(owner);
    expect(await formRules("staff")).toEqual([]);
    await owner.transaction().execute((trx) => grantFormRules(trx));
    expect(await formRules("manager")).toEqual([
      { action: ["read", "create"], subject: "Form" },
      { action: "update", subject: "Form", conditions: { createdBy: "${user.id}" } },
    ]);
    expect(await formRules("staff")).toEqual([{ action: "read", subject: "Form" }]);
    await owner.transaction().execute((trx) => grantFormRules(trx));
    expect(await formRules("staff")).toHaveLength(1);
  });
});
