import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formToModel, modelToForm, newField, type BuilderModel, type FieldNode } from "~/forms/fields";
import { problemFieldPath } from "~/forms/problem-paths";
import { getDraftVersion, getFormByKey, getLatestPublishedVersion, listFormVersions } from "~/models/forms.server";
import { action as builderAction } from "~/routes/app.$org.admin.forms.$formId";
import { action as saveAction } from "~/routes/app.$org.admin.forms.$formId.save";
import { action as listAction } from "~/routes/app.$org.admin.forms";
import { asMember, callRoute } from "./forms-helpers";
import { makeOrg, uniqueSlug, type TestOrg } from "./helpers";

// The builder's server side through its route modules, on a real database: create (with
// an imported schema), autosave with lock versions, refusal of unsafe schemas with problems
// that point at the field, publish with a change note — and that what is stored reads back
// into the same builder model.

function demoModel(): BuilderModel {
  const kind = { ...newField("select", []), id: "kind", key: "kind", required: true as const };
  const details = { ...newField("longText", []), id: "details", key: "details", required: true as const, visibleWhen: { field: "kind", op: "equals" as const, value: "option2" } };
  const item = { ...newField("shortText", []), id: "item", key: "item", required: true as const };
  const amount = { ...newField("currency", []), id: "amount", key: "amount", required: true as const };
  const items: FieldNode = { ...newField("table", []), id: "items", key: "items", props: { minItems: 1, maxItems: 10 }, children: [item, amount] };
  return { title: { ar: "طلب مساعدة", en: "Assistance request" }, description: { ar: "", en: "" }, fields: [kind, details, items] };
}

/** A route's answer as a Response: `data(...)` (returned or thrown) carries its status in `init`. */
function asResponse(value: unknown): Response {
  if (value instanceof Response) return value;
  const d = value as { type?: string; data: unknown; init?: { status?: number } | null };
  if (d.type !== "DataWithResponseInit") return Response.json(value);
  return Response.json(d.data, { status: d.init?.status ?? 200 });
}

const withoutIds = (m: BuilderModel): unknown => JSON.parse(JSON.stringify(m, (k, v) => (k === "id" ? undefined : v)));

async function newForm(t: TestOrg, body: Record<string, string>) {
  const response = await callRoute(listAction as never, t, "admin", `/app/${t.org.slug}/admin/forms`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body).toString(),
  }).catch((e: unknown) => e);
  return asResponse(response);
}

function save(t: TestOrg, formId: string, body: unknown, who: "admin" | "staff" = "admin") {
  return callRoute(saveAction as never, t, who, `/app/${t.org.slug}/admin/forms/${formId}/save`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    params: { formId },
  })
    .catch((e: unknown) => e)
    .then(asResponse);
}

async function created(t: TestOrg, key: string): Promise<string> {
  const form = await asMember(t, "admin", (trx) => getFormByKey(trx, t.org.id, key));
  expect(form).toBeDefined();
  return form!.id;
}

describe("form builder routes", () => {
  it("creates a form from an imported playground sample; its draft is the normalised form", async () => {
    const t = await makeOrg();
    const key = uniqueSlug("imp");
    const sample = fs.readFileSync(path.resolve("app/forms/samples/simple.json"), "utf8");
    const response = await newForm(t, { key, name_ar: "مستورد", name_en: "Imported", content: sample, filename: "simple.json" });
    expect(response.status).toBe(302);
    const formId = await created(t, key);
    expect(response.headers.get("location")).toBe(`/app/${t.org.slug}/admin/forms/${formId}`);
    const draft = await asMember(t, "admin", (trx) => getDraftVersion(trx, t.org.id, formId));
    const schema = draft!.schema as { properties: Record<string, { title?: string }> };
    expect(schema.properties.firstName!.title).toBe("t:firstName.title");
    expect((draft!.translations as { ar: Record<string, string> }).ar["firstName.title"]).toBe("First name");
  });

  it("refuses a file that is not a form, keeping what was typed", async () => {
    const t = await makeOrg();
    const response = await newForm(t, { key: uniqueSlug("bad"), name_ar: "سيئ", name_en: "Bad", content: '{"type":"string"}', filename: "x.json" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { values: { name_ar: string }; fieldErrors: Record<string, string> };
    expect(body.values.name_ar).toBe("سيئ");
    expect(body.fieldErrors.content).toBeTruthy();
  });

  it("autosaves with lock versions, refuses unsafe schemas field by field, publishes with a note", async () => {
    const t = await makeOrg();
    const key = uniqueSlug("demo");
    await newForm(t, { key, name_ar: "طلب مساعدة", name_en: "Assistance request", content: "", filename: "" });
    const formId = await created(t, key);
    const model = demoModel();
    const content = modelToForm(model);

    const first = await save(t, formId, { lockVersion: 1, content });
    expect(first.status).toBe(200);
    const saved = (await first.json()) as { ok: boolean; lockVersion: number };
    expect(saved).toMatchObject({ ok: true, lockVersion: 2 });

    // The same lock version again is a conflict, and says which version is current.
    const stale = await save(t, formId, { lockVersion: 1, content });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ ok: false, reason: "conflict", current: { lockVersion: 2 } });

    // A ReDoS pattern: nothing saved, and the problem points at the column it concerns.
    const unsafe = structuredClone(model);
    unsafe.fields[2]!.children![0]!.props.pattern = "^(a+)+$";
    const refused = await save(t, formId, { lockVersion: 2, content: modelToForm(unsafe) });
    expect(refused.status).toBe(400);
    const problems = ((await refused.json()) as { problems: { path: string; text: string; severity: string }[] }).problems.filter((p) => p.severity === "error");
    expect(problems.length).toBeGreaterThan(0);
    expect(problemFieldPath(problems[0]!.path, ["kind", "details", "items", "items.item", "items.amount"])).toBe("items.item");
    expect(problems[0]!.text).toMatch(/[\u0600-\u06FF]/); // in Arabic, the member's language
    const draft = await asMember(t, "admin", (trx) => getDraftVersion(trx, t.org.id, formId));
    expect(draft!.lock_version).toBe(2);

    // Staff may read forms but not change them.
    const staff = await save(t, formId, { lockVersion: 2, content }, "staff");
    expect(staff.status).toBe(403);

    // Publish what is on screen with a change note.
    const form = new URLSearchParams({ intent: "publish", lockVersion: "2", changeNote: "الإصدار الأول", content: JSON.stringify(content) });
    const published = asResponse(await callRoute(builderAction as never, t, "admin", `/app/${t.org.slug}/admin/forms/${formId}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      params: { formId },
    }));
    expect(await published.json()).toMatchObject({ intent: "publish", ok: true, version: 1 });
    const versions = await asMember(t, "admin", (trx) => listFormVersions(trx, t.org.id, formId));
    expect(versions.map((v) => [v.version, v.status, v.change_note])).toEqual([[1, "published", "الإصدار الأول"]]);

    // The published version reads back into the model the builder saved.
    const latest = await asMember(t, "admin", (trx) => getLatestPublishedVersion(trx, t.org.id, { id: formId }));
    const back = formToModel({ schema: latest!.schema, uiSchema: latest!.ui_schema, translations: latest!.translations });
    expect(withoutIds(back)).toEqual(withoutIds(model));

    // After publishing there is no draft: the builder's next save (lock version 0) starts one…
    const changed = structuredClone(model);
    changed.fields[0]!.label = { ar: "نوع المساعدة", en: "Kind of help" };
    const next = await save(t, formId, { lockVersion: 0, content: modelToForm(changed) });
    expect(await next.json()).toMatchObject({ ok: true, lockVersion: 1 });
    // …and "new draft from version 1" replaces it with that version's content.
    const restart = await callRoute(builderAction as never, t, "admin", `/app/${t.org.slug}/admin/forms/${formId}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "draftFrom", versionId: latest!.id }).toString(),
      params: { formId },
    }).catch((e: unknown) => e as Response);
    expect(restart.status).toBe(302);
    const draft2 = await asMember(t, "admin", (trx) => getDraftVersion(trx, t.org.id, formId));
    expect(withoutIds(formToModel({ schema: draft2!.schema, uiSchema: draft2!.ui_schema, translations: draft2!.translations }))).toEqual(withoutIds(model));
  });
});
