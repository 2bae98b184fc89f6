import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { archiveForm, publishForm, saveDraft } from "~/models/forms.server";
import { listFillableForms } from "~/models/form-fill.server";
import * as draftRoute from "~/routes/app.$org.forms.$formKey.draft";
import * as fillRoute from "~/routes/app.$org.forms.$formKey.fill";
import * as submitRoute from "~/routes/app.$org.forms.$formKey.submit";
import * as printRoute from "~/routes/app.$org.forms.submissions.$submissionId.print";
import * as validatorRoute from "~/routes/app.$org.forms.versions.$versionId.validator";
import { abilityFor, actorFor, asMember, callRoute, publishedForm, type Who } from "./forms-helpers";
import { makeOrg, testOwnerDb, type TestOrg } from "./helpers";

// The staff side of forms through its route modules: the fill page's loader (versions and
// drafts), the autosave and submit endpoints, the print view's access rule, the browser
// validator module, and the list of fillable forms.

const owner = testOwnerDb();
afterAll(() => owner.destroy());

const content = JSON.parse(fs.readFileSync(path.resolve("test/fixtures/forms/assistance-request.json"), "utf8"));
const valid = { fullName: "سارة أحمد", nationalId: "1234567890", kind: "food", members: [{ name: "محمد" }], confirm: true };

type Handler = Parameters<typeof callRoute>[0];
const asHandler = (fn: unknown) => fn as Handler;

function post(t: TestOrg, who: Who, handler: unknown, url: string, body: unknown, params: Record<string, string>) {
  return callRoute(asHandler(handler), t, who, url, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" }, params });
}

async function fillData(t: TestOrg, who: Who, key: string, query = "") {
  const response = await callRoute(asHandler(fillRoute.loader), t, who, `/app/${t.org.slug}/forms/${key}/fill${query}`, { params: { formKey: key } });
  return response as unknown as Awaited<ReturnType<typeof fillRoute.loader>>;
}

describe("filling a form", () => {
  it("autosaves a draft, explains a stale save, and loads the draft back", async () => {
    const t = await makeOrg();
    const { key, versionId } = await publishedForm(t, content);
    const url = `/app/${t.org.slug}/forms/${key}/draft`;
    const save = (lockVersion: number, data: unknown) => post(t, "staff", draftRoute.action, url, { formVersionId: versionId, context: "standalone", lockVersion, data }, { formKey: key });

    const first = await save(0, { fullName: "سا" });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ lockVersion: 1 });
    const stale = await save(0, { fullName: "من تبويب آخر" });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ code: "conflict", lockVersion: 1 });

    const page = await fillData(t, "staff", key);
    expect(page.version.id).toBe(versionId);
    expect(page.draft).toMatchObject({ lockVersion: 1, data: { fullName: "سا" } });

    // Hostile shapes are refused before anything is written.
    const hostile = await save(1, JSON.parse('{"__proto__": {"x": 1}}'));
    expect(hostile.status).toBe(400);
    // A version of another form is not this form's draft.
    const other = await publishedForm(t, content);
    const wrong = await post(t, "staff", draftRoute.action, url, { formVersionId: other.versionId, context: "standalone", lockVersion: 0, data: {} }, { formKey: key });
    expect(wrong.status).toBe(404);
  });

  it("submits: field errors in the user's language, then stored once per idempotency key", async () => {
    const t = await makeOrg();
    const { key, versionId } = await publishedForm(t, content);
    const url = `/app/${t.org.slug}/forms/${key}/submit`;
    const submit = (data: unknown, idempotencyKey: string) => post(t, "staff", submitRoute.action, url, { formVersionId: versionId, context: "standalone", idempotencyKey, data }, { formKey: key });

    const bad = await submit({ ...valid, nationalId: "12" }, "key-aaaaaaaa-1");
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors).toContainEqual({ path: "/nationalId", message: "رقم الهوية عشرة أرقام." });

    const ok = await submit(valid, "key-aaaaaaaa-2");
    expect(ok.status).toBe(200);
    const stored = (await ok.json()) as { submissionId: string; redirectTo: string };
    expect(stored.redirectTo).toBe(`/app/${t.org.slug}/forms/submissions/${stored.submissionId}/done`);
    const again = await submit(valid, "key-aaaaaaaa-2");
    expect(await again.json()).toMatchObject({ submissionId: stored.submissionId, replayed: true });

    // The print view: the submitter and those who may edit the form; not other staff.
    const printUrl = `/app/${t.org.slug}/forms/submissions/${stored.submissionId}/print`;
    const view = (who: Who) => callRoute(asHandler(printRoute.loader), t, who, printUrl, { params: { submissionId: stored.submissionId } });
    const mine = (await view("staff")) as unknown as Awaited<ReturnType<typeof printRoute.loader>>;
    expect(mine.submission.data).toMatchObject({ fullName: "سارة أحمد" });
    expect(mine.form.version).toBe(1);
    expect(await view("admin")).toMatchObject({ submission: { id: stored.submissionId } });
    await expect(view("manager")).rejects.toMatchObject({ init: { status: 404 } });
  });

  it("keeps answers saved on an earlier version, and takes them over to the new one on request", async () => {
    const t = await makeOrg();
    const { key, formId, versionId: v1 } = await publishedForm(t, content);
    await post(t, "staff", draftRoute.action, `/app/${t.org.slug}/forms/${key}/draft`, { formVersionId: v1, context: "standalone", lockVersion: 0, data: { fullName: "من الإصدار الأول", gone: "x" } }, { formKey: key });
    const admin = actorFor(t, "admin");
    const v2 = await asMember(t, "admin", async (trx) => {
      await saveDraft(trx, admin, formId, { ...content, lockVersion: 0 });
      const published = await publishForm(trx, admin, formId, 1);
      if (!published.ok) throw new Error(JSON.stringify(published));
      return published.value.id;
    });

    const onOld = await fillData(t, "staff", key);
    expect(onOld.version.id).toBe(v1);
    expect(onOld.newer).toBe(2);
    expect(onOld.draft?.data).toMatchObject({ fullName: "من الإصدار الأول" });

    const moved = await fillData(t, "staff", key, "?version=latest");
    expect(moved.version.id).toBe(v2);
    expect(moved.carried).toEqual({ fullName: "من الإصدار الأول" }); // "gone" is not a field of the form
    // The first save on the new version retires the old draft.
    const saved = await post(t, "staff", draftRoute.action, `/app/${t.org.slug}/forms/${key}/draft`, { formVersionId: v2, context: "standalone", lockVersion: 0, data: moved.carried }, { formKey: key });
    expect(saved.status).toBe(200);
    const after = await fillData(t, "staff", key);
    expect(after.version.id).toBe(v2);
    expect(after.newer).toBeNull();
    expect(after.draft?.data).toEqual({ fullName: "من الإصدار الأول" });
  });

  it("serves each version's browser validator as a script module", async () => {
    const t = await makeOrg();
    const { versionId } = await publishedForm(t, content);
    const response = await callRoute(asHandler(validatorRoute.loader), t, "staff", `/app/${t.org.slug}/forms/versions/${versionId}/validator?lang=ar`, { params: { versionId } });
    expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
    const source = await response.text();
    expect(source).toContain("export default function (require)");
    expect(source).toContain("رقم الهوية"); // compiled from the Arabic texts
  });
});

describe("forms to fill", () => {
  it("lists published, not archived forms, searchable", async () => {
    const t = await makeOrg();
    const published = await publishedForm(t, content);
    const archived = await publishedForm(t, content);
    await asMember(t, "admin", (trx) => archiveForm(trx, actorFor(t, "admin"), archived.formId));
    const list = (q = "") => asMember(t, "staff", (trx) => listFillableForms(trx, t.org.id, { q, limit: 25, offset: 0, ability: abilityFor(t, "staff") }));
    const all = await list();
    expect(all.rows.map((r) => r.key)).toEqual([published.key]);
    expect(all.rows[0]).toMatchObject({ version: 1 });
    expect((await list(published.key)).total).toBe(1);
    expect((await list("no-such-form")).total).toBe(0);
  });
});
