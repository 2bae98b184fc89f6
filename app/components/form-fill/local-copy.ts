// A copy of the answers in this browser's localStorage, written on every change, so that a
// network error (or a closed tab before the autosave reached the server) loses nothing.
// It remembers which server draft it started from: a copy based on an older server save
// than the one the page loaded was overtaken elsewhere and is dropped, not restored.

export interface LocalCopy {
  data: Record<string, unknown>;
  /** The server draft's lockVersion the copy was edited from (0 = none yet). */
  baseLockVersion: number;
  /** Changes not yet confirmed by the server. */
  dirty: boolean;
  /** The submit key, kept so that a retried submit after a reload is not stored twice. */
  idempotencyKey?: string;
  changedAt: number;
}

export interface CopyKey {
  orgSlug: string;
  userId: string;
  versionId: string;
  context: string;
}

export const localCopyKey = (k: CopyKey) => `masar:form-draft:${k.orgSlug}:${k.userId}:${k.versionId}:${k.context}`;

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null; // disabled storage (privacy settings) just means no local copy
  }
}

export function readLocalCopy(key: CopyKey): LocalCopy | null {
  const raw = storage()?.getItem(localCopyKey(key));
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as LocalCopy;
    return value && typeof value === "object" && value.data && typeof value.data === "object" && typeof value.baseLockVersion === "number" ? value : null;
  } catch {
    return null;
  }
}

export function writeLocalCopy(key: CopyKey, copy: LocalCopy): void {
  try {
    storage()?.setItem(localCopyKey(key), JSON.stringify(copy));
  } catch {
    // Quota exceeded: the server autosave still runs.
  }
}

export function removeLocalCopy(key: CopyKey): void {
  storage()?.removeItem(localCopyKey(key));
}

/**
 * Which answers a page should start from, given the server's draft and this browser's
 * copy: the copy only when it holds unsaved changes made on top of that very server draft.
 */
export function chooseStart(server: { data: Record<string, unknown>; lockVersion: number } | null, local: LocalCopy | null): "server" | "local" {
  if (!local || !local.dirty) return "server";
  return local.baseLockVersion === (server?.lockVersion ?? 0) ? "local" : "server";
}
