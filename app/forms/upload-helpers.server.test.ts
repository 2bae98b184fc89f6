import { describe, expect, it } from "vitest";
import { appCookies } from "~/utils/cookies.server";
import { CSRF_HEADER, verifyCsrf } from "~/utils/csrf.server";
import { sniffFileType } from "./magic-bytes";
import { guardPayload, readJsonBody } from "./payload.server";
import { cleanFilename } from "./upload.server";

const bytes = (...values: (number | string)[]) =>
  new Uint8Array(values.flatMap((v) => (typeof v === "string" ? [...v].map((c) => c.charCodeAt(0)) : [v])).concat(new Array(12).fill(0)));

describe("sniffFileType (magic bytes decide, the name must agree)", () => {
  it("recognises the allowed types", () => {
    expect(sniffFileType(bytes("%PDF-1.7"), "تقرير.pdf")).toEqual({ ok: true, type: "application/pdf" });
    expect(sniffFileType(bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a), "a.png")).toEqual({ ok: true, type: "image/png" });
    expect(sniffFileType(bytes(0xff, 0xd8, 0xff, 0xe0), "a.JPG")).toEqual({ ok: true, type: "image/jpeg" });
    expect(sniffFileType(bytes("GIF89a"), "a.gif")).toEqual({ ok: true, type: "image/gif" });
    expect(sniffFileType(bytes("RIFF", 1, 2, 3, 4, "WEBP"), "a.webp")).toEqual({ ok: true, type: "image/webp" });
    expect(sniffFileType(bytes("PK", 3, 4), "جدول.xlsx")).toMatchObject({ ok: true, type: expect.stringContaining("spreadsheetml") });
    expect(sniffFileType(bytes("PK", 3, 4), "letter.docx")).toMatchObject({ ok: true, type: expect.stringContaining("wordprocessingml") });
    expect(sniffFileType(bytes("%PDF-1.7"), "no-extension")).toEqual({ ok: true, type: "application/pdf" });
  });

  it("refuses a renamed executable, a bare zip, text, and a name that lies about the content", () => {
    expect(sniffFileType(bytes("MZ", 0x90, 0), "invoice.pdf")).toEqual({ ok: false, reason: "type_not_allowed" });
    expect(sniffFileType(bytes(0x7f, "ELF"), "photo.png")).toEqual({ ok: false, reason: "type_not_allowed" });
    expect(sniffFileType(bytes("PK", 3, 4), "archive.zip")).toEqual({ ok: false, reason: "type_not_allowed" });
    expect(sniffFileType(bytes("PK", 3, 4), "macro.docm")).toEqual({ ok: false, reason: "type_not_allowed" });
    expect(sniffFileType(bytes("<html><script>"), "page.pdf")).toEqual({ ok: false, reason: "type_not_allowed" });
    expect(sniffFileType(bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a), "invoice.pdf")).toEqual({ ok: false, reason: "type_mismatch" });
  });
});

describe("cleanFilename", () => {
  it("keeps Arabic names, drops paths, control and bidi-override characters", () => {
    expect(cleanFilename("تقرير الربع الأول.pdf")).toBe("تقرير الربع الأول.pdf");
    expect(cleanFilename("../../etc/passwd")).toBe("passwd");
    expect(cleanFilename("C:\\Users\\x\\cv.pdf")).toBe("cv.pdf");
    expect(cleanFilename("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(cleanFilename("a\u0000b\n.pdf")).toBe("ab.pdf");
    expect(cleanFilename(undefined)).toBe("file");
    expect(cleanFilename("..")).toBe("file");
    const long = cleanFilename(`${"ن".repeat(300)}.pdf`);
    expect(long.length).toBe(200);
    expect(long.endsWith(".pdf")).toBe(true);
  });
});

/** A body that fails the test if anyone reads it. */
function untouchableBody(): { body: ReadableStream<Uint8Array>; wasRead: () => boolean } {
  let read = false;
  // highWaterMark 0: pull runs only when someone actually reads.
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        read = true;
        controller.error(new Error("the body must not be read"));
      },
    },
    { highWaterMark: 0 },
  );
  return { body, wasRead: () => read };
}

describe("CSRF for uploads: the header is checked first, the multipart body is never buffered", () => {
  const token = "t".repeat(43);
  const request = async (headers: Record<string, string>, body: ReadableStream<Uint8Array>) =>
    new Request("http://localhost/app/x/files", {
      method: "POST",
      body,
      duplex: "half",
      headers: { cookie: await appCookies().csrf.serialize(token), "content-type": "multipart/form-data; boundary=x", ...headers },
    } as RequestInit);

  it("a valid header passes without touching the body", async () => {
    const { body, wasRead } = untouchableBody();
    expect(await verifyCsrf(await request({ [CSRF_HEADER]: token }, body))).toBe("ok");
    expect(wasRead()).toBe(false);
  });

  it("a wrong header fails without touching the body", async () => {
    const { body, wasRead } = untouchableBody();
    expect(await verifyCsrf(await request({ [CSRF_HEADER]: "x".repeat(43) }, body))).toBe("failed");
    expect(wasRead()).toBe(false);
  });

  it("a large or unsized multipart body without the header fails without being read", async () => {
    for (const headers of [{}, { "content-length": String(50 * 1024 * 1024) }] as Record<string, string>[]) {
      const { body, wasRead } = untouchableBody();
      expect(await verifyCsrf(await request(headers, body))).toBe("failed");
      expect(wasRead()).toBe(false);
    }
  });
});

describe("readJsonBody", () => {
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    new Request("http://localhost/x", { method: "POST", body, headers: { "content-type": "application/json", ...headers }, duplex: "half" } as RequestInit);

  it("parses JSON within the cap", async () => {
    expect(await readJsonBody(post(JSON.stringify({ a: "ب" })), 100)).toEqual({ ok: true, value: { a: "ب" } });
  });

  it("refuses an over-long body by its declared length, or while streaming when it lies", async () => {
    expect(await readJsonBody(post("x".repeat(10), { "content-length": "1000" }), 100)).toMatchObject({ ok: false, rejection: { code: "payload_too_large", status: 413 } });
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64;
        controller.enqueue(new Uint8Array(64).fill(32));
      },
    });
    expect(await readJsonBody(post(endless), 1000)).toMatchObject({ ok: false, rejection: { code: "payload_too_large" } });
    expect(sent).toBeLessThan(2000); // stopped reading right after the cap
  });

  it("refuses malformed JSON with 400; absurd nesting parses and is then refused by the guard without recursion", async () => {
    expect(await readJsonBody(post("{"))).toMatchObject({ ok: false, rejection: { code: "payload_invalid_json", status: 400 } });
    const read = await readJsonBody(post(`{"a":${"[".repeat(200_000)}${"]".repeat(200_000)}}`), 1_000_000);
    expect(read.ok).toBe(true);
    const guarded = guardPayload(read.ok ? read.value : null);
    expect(guarded.ok ? null : guarded.rejection).toEqual({ code: "payload_too_deep", status: 400, path: "/a" + "/0".repeat(19) });
  });
});
