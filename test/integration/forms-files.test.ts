import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDirectoryStorage, setFileStorage } from "~/forms/storage.server";
import { setOrgStorageLimits } from "~/models/files.server";
import { submitForm } from "~/models/form-submissions.server";
import * as download from "~/routes/app.$org.files.$fileId";
import * as upload from "~/routes/app.$org.files";
import { actorFor, asMember, callRoute, publishedForm, type Who } from "./forms-helpers";
import { makeOrg, testOwnerDb, type TestOrg } from "./helpers";

const owner = testOwnerDb();
const root = fs.mkdtempSync(path.join(os.tmpdir(), "masar-files-"));
beforeAll(() => setFileStorage(new LocalDirectoryStorage(root)));
afterAll(async () => {
  setFileStorage(undefined);
  fs.rmSync(root, { recursive: true, force: true });
  await owner.destroy();
});

const MB = 1024 * 1024;
const PDF_HEAD = Buffer.from("%PDF-1.7\n%âãÏÓ\n");
const pdf = (size: number) => Buffer.concat([PDF_HEAD, Buffer.alloc(Math.max(0, size - PDF_HEAD.length), 0x20)]);
const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

/**
 * A multipart body streamed in 64 KiB chunks, generated as it is read (never built in
 * memory), with no Content-Length: the server only learns the size by reading.
 */
function multipart(filename: string, head: Buffer, size: number) {
  const boundary = `----masar${crypto.randomBytes(8).toString("hex")}`;
  const preamble = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent(filename)}\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const closing = Buffer.from(`\r\n--${boundary}--\r\n`);
  let sent = 0;
  let phase = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (phase === 0) {
          controller.enqueue(preamble);
          phase = 1;
          return;
        }
        if (phase === 1) {
          if (sent < size) {
            const n = Math.min(64 * 1024, size - sent);
            const chunk = Buffer.alloc(n, 0x20);
            if (sent === 0) head.copy(chunk, 0, 0, Math.min(head.length, n));
            sent += n;
            controller.enqueue(chunk);
            return;
          }
          controller.enqueue(closing);
          phase = 2;
          return;
        }
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, sent: () => sent };
}

async function post(t: TestOrg, who: Who, part: ReturnType<typeof multipart>, headers: Record<string, string> = {}) {
  const response = await callRoute(upload.action as never, t, who, `/app/${t.org.slug}/files`, {
    method: "POST",
    body: part.body,
    headers: { "content-type": part.contentType, ...headers },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Everything under the storage root for this organisation (finished or partial). */
const stored = (orgId: string) => (fs.existsSync(path.join(root, orgId)) ? fs.readdirSync(path.join(root, orgId)) : []);

async function state(orgId: string) {
  const r = await sql<{ files: number; used: string | null }>`
    SELECT (SELECT count(*)::int FROM files WHERE org_id = ${orgId}) AS files,
           (SELECT used_bytes::text FROM org_storage WHERE org_id = ${orgId}) AS used`.execute(owner);
  return { ...r.rows[0]!, stored: stored(orgId) };
}

const limits = (t: TestOrg, value: { quotaBytes?: number; maxFileBytes?: number }) =>
  asMember(t, "admin", (trx) => setOrgStorageLimits(trx, actorFor(t, "admin"), value));

describe("uploads", () => {
  it("streams a file to storage under a server-generated key, with its hash, and charges the quota", async () => {
    const t = await makeOrg();
    const content = pdf(200 * 1024);
    const part = multipart("تقرير الزيارة.pdf", content, content.length);
    const res = await post(t, "staff", part);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ filename: "تقرير الزيارة.pdf", size: content.length, contentType: "application/pdf" });
    const row = await sql<Record<string, unknown>>`SELECT * FROM files WHERE id = ${res.body.id as string}`.execute(owner);
    const file = row.rows[0]!;
    expect(file).toMatchObject({ uploaded_by: t.staff.id, content_type: "application/pdf", size_bytes: String(content.length) });
    expect(file.sha256).toBe(crypto.createHash("sha256").update(content).digest("hex"));
    expect(file.storage_key).toMatch(new RegExp(`^${t.org.id}/[0-9a-f-]{36}$`));
    expect(String(file.storage_key)).not.toContain("تقرير");
    expect(fs.readFileSync(path.join(root, ...String(file.storage_key).split("/")))).toEqual(content);
    expect(await state(t.org.id)).toMatchObject({ files: 1, used: String(content.length) });
    const audit = await sql`SELECT 1 FROM audit_log WHERE org_id = ${t.org.id} AND action = 'file.upload'`.execute(owner);
    expect(audit.rows).toHaveLength(1);
  });

  it("an oversized upload is refused while streaming: 413 in Arabic, no partial file, no row, quota untouched", async () => {
    const t = await makeOrg();
    await limits(t, { maxFileBytes: 1 * MB });
    const part = multipart("كبير.pdf", PDF_HEAD, 40 * MB);
    const res = await post(t, "staff", part);
    const sentWhenAnswered = part.sent();
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: "file_too_large" });
    expect(sentWhenAnswered).toBeLessThan(2 * MB); // answered as soon as the limit was passed
    expect(String(res.body.message)).toMatch(/[\u0600-\u06FF]/);
    expect(String(res.body.message)).toContain("1");
    // Stopped long before the end: at most the limit, the drain allowance and a few chunks were read.
    expect(part.sent()).toBeLessThan(20 * MB);
    expect(await state(t.org.id)).toEqual({ files: 0, used: "0", stored: [] });
  });

  it("a declared Content-Length over the limit is refused without reading the body", async () => {
    const t = await makeOrg();
    await limits(t, { maxFileBytes: 1 * MB });
    const part = multipart("a.pdf", PDF_HEAD, 5 * MB);
    const res = await post(t, "staff", part, { "content-length": String(5 * MB + 300) });
    expect(res.status).toBe(413);
    expect(part.sent()).toBe(0);
  });

  it("content decides the type: a renamed executable and a PNG named .pdf are refused, nothing stored", async () => {
    const t = await makeOrg();
    const exe = await post(t, "staff", multipart("invoice.pdf", Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00"), 10_000));
    expect(exe).toMatchObject({ status: 415, body: { code: "type_not_allowed" } });
    const png = await post(t, "staff", multipart("invoice.pdf", PNG_HEAD, 10_000));
    expect(png).toMatchObject({ status: 415, body: { code: "type_mismatch" } });
    const ok = await post(t, "staff", multipart("صورة.png", PNG_HEAD, 10_000));
    expect(ok).toMatchObject({ status: 201, body: { contentType: "image/png" } });
    expect((await state(t.org.id)).files).toBe(1);
    expect((await state(t.org.id)).stored).toHaveLength(1);
  });

  it("the organisation's quota is enforced: the upload that does not fit is refused and nothing is charged", async () => {
    const t = await makeOrg();
    await limits(t, { quotaBytes: 2 * MB, maxFileBytes: 10 * MB });
    expect((await post(t, "staff", multipart("a.pdf", PDF_HEAD, 1.5 * MB))).status).toBe(201);
    const over = await post(t, "manager", multipart("b.pdf", PDF_HEAD, 1.5 * MB));
    expect(over).toMatchObject({ status: 413, body: { code: "quota_exceeded" } });
    expect(await state(t.org.id)).toMatchObject({ files: 1, used: String(1.5 * MB) });
    expect((await state(t.org.id)).stored).toHaveLength(1);
  });

  it("refuses a body that is not multipart, and a multipart body with no file", async () => {
    const t = await makeOrg();
    const notMultipart = await callRoute(upload.action as never, t, "staff", `/app/${t.org.slug}/files`, { method: "POST", body: "x", headers: { "content-type": "text/plain" } });
    expect(notMultipart.status).toBe(415);
    const boundary = "b0undary";
    const empty = await callRoute(upload.action as never, t, "staff", `/app/${t.org.slug}/files`, {
      method: "POST",
      body: `--${boundary}\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--${boundary}--\r\n`,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    expect(empty.status).toBe(400);
  });
});

describe("downloads and use in submissions", () => {
  it("downloads as an attachment with the UTF-8 name, nosniff and the detected type; only for those allowed", async () => {
    const t = await makeOrg();
    const other = await makeOrg();
    const content = pdf(5000);
    const { body } = await post(t, "staff", multipart("خطاب التعيين.pdf", content, content.length));
    const get = (org: TestOrg, who: Who) =>
      callRoute(download.loader as never, org, who, `/app/${org.org.slug}/files/${body.id as string}`, { params: { fileId: body.id as string } });
    const res = await get(t, "staff");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="____ _______.pdf"; filename*=UTF-8''${encodeURIComponent("خطاب التعيين.pdf")}`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(content);
    expect((await get(t, "admin")).status).toBe(200); // manages forms
    expect((await get(t, "manager")).status).toBe(404); // neither uploader nor form manager
    expect((await get(other, "admin")).status).toBe(404); // another organisation
  });

  it("a submission may reference only the submitter's own files; referenced files are attached to it", async () => {
    const t = await makeOrg();
    const form = {
      schema: { type: "object", properties: { cv: { type: "string", format: "uuid", "x-masar-file": { accept: ["application/pdf"], maxSizeMb: 1 } } } },
      uiSchema: {},
      translations: { ar: {}, en: {} },
    };
    const { versionId } = await publishedForm(t, form);
    const mine = (await post(t, "staff", multipart("cv.pdf", PDF_HEAD, 1000))).body.id as string;
    const theirs = (await post(t, "manager", multipart("cv.pdf", PDF_HEAD, 1000))).body.id as string;
    const submit = (cv: string) =>
      asMember(t, "staff", (trx) =>
        submitForm(trx, actorFor(t, "staff"), { formVersionId: versionId, context: "standalone", data: { cv }, idempotencyKey: crypto.randomUUID(), locale: "ar" }),
      );
    const refused = await submit(theirs);
    expect(refused).toMatchObject({ ok: false, reason: "invalid", result: { errors: [{ path: "/cv", keyword: "x-masar-file" }] } });
    const ok = await submit(mine);
    expect(ok.ok).toBe(true);
    const attached = await sql<{ attached_to: string }>`SELECT attached_to FROM files WHERE id = ${mine}`.execute(owner);
    expect(attached.rows[0]!.attached_to).toBe(`submission:${ok.ok ? ok.submission.id : ""}`);
  });
});
