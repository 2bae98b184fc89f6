// Uploading one file to POST /app/:org/files (multipart, streamed by the server).
// XMLHttpRequest rather than fetch: only it reports upload progress. The CSRF token
// travels in the X-CSRF-Token header (double submit, app/utils/csrf.server.ts).
import type { FileInfo } from "./context";

export interface UploadError {
  status: number;
  message?: string;
  code?: string;
}

export interface UploadHandle {
  promise: Promise<FileInfo>;
  abort: () => void;
}

export function uploadFile(orgSlug: string, file: File, csrf: string, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<FileInfo>((resolve, reject) => {
    xhr.open("POST", `/app/${encodeURIComponent(orgSlug)}/files`);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as Record<string, unknown> | null;
      if (xhr.status >= 200 && xhr.status < 300 && body && typeof body.id === "string") {
        resolve({
          id: body.id,
          filename: typeof body.filename === "string" ? body.filename : file.name,
          size: typeof body.size === "number" ? body.size : file.size,
          contentType: typeof body.contentType === "string" ? body.contentType : file.type,
        });
        return;
      }
      reject(errorFrom(xhr.status, body));
    };
    xhr.onerror = () => reject({ status: 0 } satisfies UploadError);
    xhr.onabort = () => reject({ status: -1 } satisfies UploadError);
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

// The server's JSON errors come as { error: { code, message } } or { message }.
function errorFrom(status: number, body: Record<string, unknown> | null): UploadError {
  const nested = body && typeof body.error === "object" && body.error !== null ? (body.error as Record<string, unknown>) : body;
  const message = nested && typeof nested.message === "string" ? nested.message : undefined;
  const code = nested && typeof nested.code === "string" ? nested.code : undefined;
  return { status, message, code };
}

/** The client-side hint only: the server checks size and type (by content) itself. */
export function precheckFile(file: File, accept: string[] | undefined, maxSizeMb: number | undefined): "tooLarge" | "badType" | null {
  if (typeof maxSizeMb === "number" && maxSizeMb > 0 && file.size > maxSizeMb * 1024 * 1024) return "tooLarge";
  if (accept && accept.length > 0 && file.type && !accept.includes(file.type)) return "badType";
  return null;
}
