// What an uploaded file really is, decided by its first bytes (never by the name or the
// Content-Type the browser sent). Only the allow-listed types pass. DOCX and XLSX are ZIP
// containers, so for them the extension picks between the two; a ZIP with any other name is
// refused. The name's extension must also agree with the content for the other types, so
// "invoice.pdf" that is really a PNG is refused as well.

export const FILE_TYPES = [
  "application/pdf",
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** Bytes needed before a decision can be made. */
export const SNIFF_BYTES = 12;

const DOCX: FileType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: FileType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const EXTENSIONS: Record<FileType, string[]> = {
  "application/pdf": ["pdf"],
  "image/png": ["png"],
  "image/jpeg": ["jpg", "jpeg", "jfif"],
  "image/gif": ["gif"],
  "image/webp": ["webp"],
  [DOCX]: ["docx"],
  [XLSX]: ["xlsx"],
};

const startsWith = (head: Uint8Array, bytes: number[], offset = 0) => bytes.every((b, i) => head[offset + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

function byContent(head: Uint8Array): FileType | "zip" | null {
  if (startsWith(head, ascii("%PDF-"))) return "application/pdf";
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a"))) return "image/gif";
  if (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return "zip";
  return null;
}

export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf(".");
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : "";
}

export type Sniffed = { ok: true; type: FileType } | { ok: false; reason: "type_not_allowed" | "type_mismatch" };

/** The file's type from its first SNIFF_BYTES bytes and its name. */
export function sniffFileType(head: Uint8Array, filename: string): Sniffed {
  const found = byContent(head);
  const ext = extensionOf(filename);
  if (found === null) return { ok: false, reason: "type_not_allowed" };
  if (found === "zip") {
    if (ext === "docx") return { ok: true, type: DOCX };
    if (ext === "xlsx") return { ok: true, type: XLSX };
    return { ok: false, reason: "type_not_allowed" };
  }
  if (ext !== "" && !EXTENSIONS[found].includes(ext)) return { ok: false, reason: "type_mismatch" };
  return { ok: true, type: found };
}
