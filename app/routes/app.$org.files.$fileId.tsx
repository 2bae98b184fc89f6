import { Readable } from "node:stream";
import type { Route } from "./+types/app.$org.files.$fileId";
import { getInstance } from "~/middleware/i18next";
import { fileStorage } from "~/forms/storage.server";
import { getFile, mayDownloadFile } from "~/models/files.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";

// GET /app/:org/files/:fileId — always a download (attachment), never rendered inline: the
// type is the one detected from the content at upload, nosniff forbids guessing, and a
// sandbox CSP covers any browser that opens it anyway. A file the member may not download
// answers 404, the same as one that does not exist.

/** RFC 6266/5987: an ASCII fallback plus the exact UTF-8 name (Arabic names survive). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export async function loader(args: Route.LoaderArgs) {
  const ctx = await requireOrgMember(args);
  const t = getInstance(args.context).getFixedT(ctx.locale, "forms");
  const notFound = () => Response.json({ code: "not_found", message: t("server.files.not_found") }, { status: 404, headers: { "Cache-Control": "no-store" } });
  const file = await withTenant(appDb(), ctx.scope, async (trx) => {
    const row = await getFile(trx, ctx.org.id, args.params.fileId);
    return row && (await mayDownloadFile(trx, ctx.ability, ctx.user.id, row)) ? row : undefined;
  });
  if (!file) return notFound();
  let stream: Readable;
  try {
    stream = await fileStorage().get(file.storage_key);
  } catch {
    return notFound();
  }
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": file.content_type,
      "Content-Length": String(file.size_bytes),
      "Content-Disposition": contentDisposition(file.filename),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
}
