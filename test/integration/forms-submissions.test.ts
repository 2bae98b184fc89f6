import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { getFormDraft, saveFormDraft } from "~/models/form-drafts.server";
import { submitForm } from "~/models/form-submissions.server";
import { publishForm, saveDraft } from "~/models/forms.server";
import { actorFor, asMember, publishedForm } from "./forms-helpers";
import { makeOrg, testOwnerDb } from "./helpers";

const owner = testOwnerDb();
afterAll(() => owner.destroy());

const v1 = {
  schema: {
    type: "object",
    required: ["name"],
    properties: {
      name: { type: "string", minLength: 2 },
      items: { type: "array", items: { type: "object", properties: { qty: { type: "number" }, price: { type: "number" }, total: { type: "number", readOnly: true, "x-masar-compute": "qty * price" } } } },
    },
  },
  uiSchema: {},
  translations: { ar: {}, en: {} },
};
// Version 2 adds a required field: old submissions and drafts stay on version 1.
const v2 = { ...v1, schema: { ...v1.schema, required: ["name", "phone"], properties: { ...v1.schema.properties, phone: { type: "string" } } } };

let keyCounter = 0;
const idem = () => `test-key-${Date.now()}-${++keyCounter}`;

async function rows(orgId: string) {
  const r = await sql<{ submissions: number; drafts: number }>`
    SELECT (SELECT count(*)::int FROM form_submissions WHERE org_id = ${orgId}) AS submissions,
           (SELECT count(*)::int FROM form_drafts WHERE org_id = ${orgId}) AS drafts`.execute(owner);
  return r.rows[0]!;
}

describe("drafts of answers", () => {
  it("autosave with lock versions: a stale save is a conflict that names the newer save; nothing is overwritten", async () => {
    const t = await makeOrg();
    const { versionId } = await publishedForm(t, v1);
    const owner_ = { orgId: t.org.id, userId: t.staff.id };
    const save = (data: unknown, lockVersion: number) =>
      asMember(t, "staff", (trx) => saveFormDraft(trx, owner_, { formVersionId: versionId, context: "standalone", data, lockVersion }));
    const first = await save({ name: "ف" }, 0);
    expect(first).toMatchObject({ ok: true, lockVersion: 1 });
    expect(await save({ name: "فا" }, 1)).toMatchObject({ ok: true, lockVersion: 2 });
    // Another tab still at lock version 1 (or one that thinks there is no draft yet).
    const stale = await save({ name: "قديم" }, 1);
    expect(stale).toMatchObject({ ok: false, reason: "conflict", current: { lockVersion: 2 } });
    expect(await save({ name: "قديم" }, 0)).toMatchObject({ ok: false, reason: "conflict", current: { lockVersion: 2 } });
    const draft = await asMember(t, "staff", (trx) => getFormDraft(trx, owner_, versionId, "standalone"));
    expect(draft).toMatchObject({ lock_version: 2, data: { name: "فا" } });
    // Drafts are private: the manager has none for the same version.
    expect(await asMember(t, "manager", (trx) => getFormDraft(trx, { orgId: t.org.id, userId: t.manager.id }, versionId, "standalone"))).toBeUndefined();
  });

  it("incomplete answers are fine in a draft, hostile shapes are not", async () => {
    const t = await makeOrg();
    const { versionId } = await publishedForm(t, v1);
    const save = (data: unknown) =>
      asMember(t, "staff", (trx) => saveFormDraft(trx, { orgId: t.org.id, userId: t.staff.id }, { formVersionId: versionId, context: "task:abc-123", data, lockVersion: 0 }));
    expect(await save(JSON.parse('{"__proto__":{"x":1}}'))).toMatchObject({ ok: false, reason: "payload", rejection: { code: "payload_forbidden_key" } });
    expect(await rows(t.org.id)).toEqual({ submissions: 0, drafts: 0 });
    expect(await save({})).toMatchObject({ ok: true });
    expect(await asMember(t, "staff", (trx) => saveFormDraft(trx, { orgId: t.org.id, userId: t.staff.id }, { formVersionId: versionId, context: "../../etc", data: {}, lockVersion: 0 }))).toMatchObject({ reason: "bad_context" });
  });
});

describe("submissions", () => {
  it("validated against the version they name, stored with it, computed values filled, draft removed, audit-logged", async () => {
    const t = await makeOrg();
    const { versionId, formId } = await publishedForm(t, v1);
    const staff = actorFor(t, "staff");
    await asMember(t, "staff", (trx) => saveFormDraft(trx, { orgId: t.org.id, userId: t.staff.id }, { formVersionId: versionId, context: "standalone", data: { name: "فا" }, lockVersion: 0 }));

    // A new version (with a new required field) is published while the staff member fills version 1.
    const admin = actorFor(t, "admin");
    await asMember(t, "admin", async (trx) => {
      await saveDraft(trx, admin, formId, { ...v2, lockVersion: 0 });
      await publishForm(trx, admin, formId, 1);
    });

    const result = await asMember(t, "staff", (trx) =>
      submitForm(trx, staff, { formVersionId: versionId, context: "standalone", data: { name: "فاطمة", items: [{ qty: 3, price: 2, total: 0 }] }, idempotencyKey: idem(), locale: "ar" }),
    );
    expect(result).toMatchObject({ ok: true, replayed: false, submission: { formVersionId: versionId, data: { name: "فاطمة", items: [{ qty: 3, price: 2, total: 6 }] } } });
    const stored = await sql<{ form_version_id: string; data: unknown; submitted_by: string }>`SELECT form_version_id, data, submitted_by FROM form_submissions WHERE org_id = ${t.org.id}`.execute(owner);
    expect(stored.rows).toEqual([{ form_version_id: versionId, data: { name: "فاطمة", items: [{ qty: 3, price: 2, total: 6 }] }, submitted_by: t.staff.id }]);
    expect(await rows(t.org.id)).toEqual({ submissions: 1, drafts: 0 });
    const audit = await sql<{ action: string; after: Record<string, unknown> }>`SELECT action, after FROM audit_log WHERE org_id = ${t.org.id} AND action = 'form.submit'`.execute(owner);
    expect(audit.rows).toEqual([{ action: "form.submit", after: expect.objectContaining({ formVersionId: versionId, context: "standalone" }) }]);
    expect(JSON.stringify(audit.rows)).not.toContain("فاطمة"); // the answers stay out of the audit log
  });

  it("invalid or hostile data is refused with Arabic messages and changes nothing; the draft survives", async () => {
    const t = await makeOrg();
    const { versionId } = await publishedForm(t, v1);
    const staff = actorFor(t, "staff");
    await asMember(t, "staff", (trx) => saveFormDraft(trx, { orgId: t.org.id, userId: t.staff.id }, { formVersionId: versionId, context: "standalone", data: { name: "ف" }, lockVersion: 0 }));
    const submit = (data: unknown) =>
      asMember(t, "staff", (trx) => submitForm(trx, staff, { formVersionId: versionId, context: "standalone", data, idempotencyKey: idem(), locale: "ar" }));
    const invalid = await submit({ name: "ف" });
    expect(invalid).toMatchObject({ ok: false, reason: "invalid", result: { status: 400, errors: [{ path: "/name", keyword: "minLength" }] } });
    expect(invalid.ok === false && invalid.reason === "invalid" && invalid.result.errors[0]!.message).toMatch(/[\u0600-\u06FF]/);
    for (const hostile of [{ name: "فاطمة", role: "admin" }, JSON.parse('{"name":"فاطمة","__proto__":{"x":1}}'), { name: "فاطمة", items: Array.from({ length: 1001 }, () => ({})) }]) {
      expect(await submit(hostile)).toMatchObject({ ok: false, reason: "invalid" });
    }
    expect(await rows(t.org.id)).toEqual({ submissions: 0, drafts: 1 });
  });

  it("the same idempotency key returns the first submission instead of storing a second", async () => {
    const t = await makeOrg();
    const { versionId } = await publishedForm(t, v1);
    const staff = actorFor(t, "staff");
    const key = idem();
    const submit = (name: string) =>
      asMember(t, "staff", (trx) => submitForm(trx, staff, { formVersionId: versionId, context: "standalone", data: { name }, idempotencyKey: key, locale: "ar" }));
    const first = await submit("فاطمة");
    const again = await submit("شخص آخر");
    expect(again).toMatchObject({ ok: true, replayed: true, submission: { id: first.ok ? first.submission.id : "", data: { name: "فاطمة" } } });
    // Concurrent double-submit: still one row.
    const key2 = idem();
    const both = await Promise.all(
      [0, 1].map(() => asMember(t, "staff", (trx) => submitForm(trx, staff, { formVersionId: versionId, context: "standalone", data: { name: "سعد" }, idempotencyKey: key2, locale: "ar" }))),
    );
    expect(both.every((r) => r.ok)).toBe(true);
    expect(new Set(both.map((r) => (r.ok ? r.submission.id : "")))).toHaveProperty("size", 1);
    expect((await rows(t.org.id)).submissions).toBe(2);
  });

  it("refuses drafts (unpublished) versions, other organisations' versions and bad keys", async () => {
    const t = await makeOrg();
    const other = await makeOrg();
    const { versionId } = await publishedForm(other, v1);
    const staff = actorFor(t, "staff");
    const submit = (formVersionId: string, idempotencyKey = idem()) =>
      asMember(t, "staff", (trx) => submitForm(trx, staff, { formVersionId, context: "standalone", data: { name: "فاطمة" }, idempotencyKey, locale: "ar" }));
    expect(await submit(versionId)).toEqual({ ok: false, reason: "not_found" });
    expect(await submit("not-a-uuid")).toEqual({ ok: false, reason: "not_found" });
    expect(await submit(versionId, "short")).toEqual({ ok: false, reason: "bad_key" });
  });
});
