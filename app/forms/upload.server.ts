import crypto from "node:crypto";
import { Readable, Transform, type TransformCallback } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { orgStorageLimits, recordUpload } from "~/models/files.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { withTenant, type Db } from "~/utils/db.server";
import { SNIFF_BYTES, sniffFileType, type FileType } from "./magic-bytes";
import type { Storage } from "./storage.server";

// Streaming upload: the multipart body is parsed as it arrives (busboy) and the file part
// flows through an inspector straight into storage. The inspector counts bytes (and fails
// the stream the moment the organisation's per-file limit or remaining quota is passed),
// checks the magic bytes as soon as it has them, and hashes everything it passes on. When
// it fails, storage removes the partial file; no row is written. The quota is charged in
// the same transaction that records the row. At no point is the body held in memory.

export type UploadCode =
  | "not_multipart"
  | "no_file"
  | "too_many_files"
  | "file_too_large"
  | "quota_exceeded"
  | "type_not_allowed"
  | "type_mismatch"
  | "empty_file"
  | "bad_request";

export type UploadResult =
  | { ok: true; file: { id: string; filename: string; size: number; contentType: FileType; sha256: string } }
  | { ok: false; status: 400 | 413 | 415; code: UploadCode; params?: Record<string, string | number> };

/** Multipart framing around the one file part, allowed on top of the file-size limit. */
const MULTIPART_OVERHEAD = 64 * 1024;
/** After a refusal the rest of the body is read and discarded (so the client gets the answer) up to this much; then the connection is dropped. */
const DRAIN_LIMIT = 16 * 1024 * 1024;

class UploadRefused extends Error {
  constructor(readonly code: UploadCode) {
    super(code);
  }
}

class Inspector extends Transform {
  size = 0;
  type: FileType | undefined;
  private head = Buffer.alloc(0);
  private readonly hash = crypto.createHash("sha256");

  constructor(
    private readonly limits: { maxFileBytes: number; remainingBytes: number },
    readonly filename: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limits.maxFileBytes) return callback(new UploadRefused("file_too_large"));
    if (this.size > this.limits.remainingBytes) return callback(new UploadRefused("quota_exceeded"));
    if (!this.type) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES)]).subarray(0, SNIFF_BYTES);
      if (this.head.length >= SNIFF_BYTES) {
        const refused = this.sniff();
        if (refused) return callback(refused);
      }
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.size === 0) return callback(new UploadRefused("empty_file"));
    callback(this.type ? null : this.sniff());
  }

  private sniff(): UploadRefused | null {
    const sniffed = sniffFileType(this.head, this.filename);
    if (!sniffed.ok) return new UploadRefused(sniffed.reason);
    this.type = sniffed.type;
    return null;
  }

  digest(): string {
    return this.hash.digest("hex");
  }
}

/** A display name only (never a path): last path segment, no control or bidi-override characters. */
export function cleanFilename(raw: string | undefined): string {
  const base = (raw ?? "").normalize("NFC").split(/[/\\]/).pop() ?? "";
  // Control characters, and the bidi controls that can make "exe.pdf" display as "fdp.exe".
  const hidden = (c: string) => c.charCodeAt(0) < 0x20 || c === "\u007f" || /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/.test(c);
  const cleaned = [...base].filter((c) => !hidden(c)).join("").trim();
  if (cleaned === "" || cleaned === "." || cleaned === "..") return "file";
  if (cleaned.length <= 200) return cleaned;
  const dot = cleaned.lastIndexOf(".");
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : "";
  return cleaned.slice(0, 200 - ext.length) + ext;
}

const mb = (bytes: number) => Math.max(1, Math.floor(bytes / (1024 * 1024)));

export async function handleUpload(request: Request, ctx: { actor: AuditActor; db: Db; storage: Storage }): Promise<UploadResult> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data;/i.test(contentType) || !request.body) return { ok: false, status: 415, code: "not_multipart" };
  const scope = { orgId: ctx.actor.orgId, userId: ctx.actor.actorUserId };
  const limits = await withTenant(ctx.db, scope, (trx) => orgStorageLimits(trx, ctx.actor.orgId));
  const remainingBytes = Math.max(0, limits.quotaBytes - limits.usedBytes);
  const tooLarge = { ok: false as const, status: 413 as const, code: "file_too_large" as const, params: { maxMb: mb(limits.maxFileBytes) } };
  const overQuota = { ok: false as const, status: 413 as const, code: "quota_exceeded" as const };

  // Refusals that need no byte of the body.
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (remainingBytes === 0) return overQuota;
  if (Number.isFinite(declared) && declared > limits.maxFileBytes + MULTIPART_OVERHEAD) return tooLarge;
  if (Number.isFinite(declared) && declared > remainingBytes + MULTIPART_OVERHEAD) return overQuota;

  const body = Readable.fromWeb(request.body as unknown as NodeWebReadableStream<Uint8Array>);
  const parser = busboy({
    headers: { "content-type": contentType },
    defParamCharset: "utf8",
    // No fileSize here: busboy would truncate and then read the rest of the body itself;
    // the inspector refuses instead, and the paused file stream holds the body back.
    limits: { files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 50 },
  });

  return new Promise<UploadResult>((resolve, reject) => {
    let settled = false;
    let fileSeen = false;
    let stored: Promise<{ key: string; inspector: Inspector }> | undefined;

    const finish = (result: UploadResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    // Answer now; keep reading (and discarding) what the client is still sending, up to a point.
    let draining = false;
    const drain = () => {
      if (draining) return;
      draining = true;
      let drained = 0;
      body.on("data", (chunk: Buffer) => {
        drained += chunk.length;
        if (drained > DRAIN_LIMIT) body.destroy();
      });
    };
    const refuse = (result: UploadResult) => {
      finish(result);
      drain();
    };
    const refusal = (error: unknown): UploadResult => {
      const code = error instanceof UploadRefused ? error.code : "bad_request";
      if (code === "file_too_large") return tooLarge;
      if (code === "quota_exceeded") return overQuota;
      return { ok: false, status: code === "type_not_allowed" || code === "type_mismatch" ? 415 : 400, code };
    };

    parser.on("file", (_field, stream, info) => {
      if (fileSeen) {
        stream.resume();
        return refuse({ ok: false, status: 400, code: "too_many_files" });
      }
      fileSeen = true;
      const filename = cleanFilename(info.filename);
      const inspector = new Inspector({ maxFileBytes: limits.maxFileBytes, remainingBytes }, filename);
      // Bytes flow (and the inspector may refuse them) before storage has attached its own
      // listeners: this listener stops the flow at once (and keeps the error handled); the
      // body stays paused until storage rejects, which it does after removing the partial
      // file, and only then is the answer given and the rest of the body discarded.
      inspector.on("error", () => stream.unpipe(inspector));
      stream.pipe(inspector);
      stored = ctx.storage.put(inspector, { prefix: ctx.actor.orgId }).then((key) => ({ key, inspector }));
      stored.catch((error: unknown) => {
        stream.unpipe(inspector);
        stream.resume(); // let the parser run to the end of the body without us
        if (error instanceof UploadRefused || settled) return refuse(refusal(error));
        settled = true;
        reject(error);
        drain();
      });
    });
    parser.on("filesLimit", () => refuse({ ok: false, status: 400, code: "too_many_files" }));
    parser.on("error", () => refuse({ ok: false, status: 400, code: "bad_request" }));
    parser.on("close", () => {
      if (settled) return;
      if (!stored) return finish({ ok: false, status: 400, code: "no_file" });
      stored
        .then(async ({ key, inspector }) => {
          if (settled) return ctx.storage.delete(key);
          const filename = inspector.filename;
          const sha256 = inspector.digest();
          try {
            const recorded = await withTenant(ctx.db, scope, (trx) =>
              recordUpload(trx, ctx.actor, { storageKey: key, filename, contentType: inspector.type!, size: inspector.size, sha256 }),
            );
            if (!recorded.ok) {
              await ctx.storage.delete(key);
              return finish(overQuota);
            }
            finish({ ok: true, file: { id: recorded.id, filename, size: inspector.size, contentType: inspector.type!, sha256 } });
          } catch (error) {
            await ctx.storage.delete(key);
            settled = true;
            reject(error);
          }
        })
        .catch(() => undefined); // refusals were answered by the rejection handler above
    });
    body.on("error", () => refuse({ ok: false, status: 400, code: "bad_request" }));
    body.pipe(parser);
  });
}
