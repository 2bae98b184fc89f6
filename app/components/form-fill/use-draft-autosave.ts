// Autosave of a form being filled: a debounced JSON POST to the draft endpoint after each
// change, an immediate one (fetch keepalive) when the page is hidden or left, a local copy
// on every change, optimistic locking with a conflict the user resolves, and retries after
// network errors. The server draft is the person's private working copy (not validated).
import { useCallback, useEffect, useRef, useState } from "react";
import { chooseStart, readLocalCopy, removeLocalCopy, writeLocalCopy, type CopyKey } from "./local-copy";

export type Answers = Record<string, unknown>;

export type SaveStatus =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; savedAt: string }
  | { kind: "offline" }
  | { kind: "conflict"; lockVersion: number; savedAt: string }
  | { kind: "error" };

export interface AutosaveOptions extends CopyKey {
  formKey: string;
  csrf: string;
  initial: { data: Answers; lockVersion: number; savedAt: string } | null;
  /** Answers taken over from a draft of an earlier version: not saved on this one yet. */
  carried?: Answers | null;
  debounceMs?: number;
}

const RETRY_MS = 10_000;

/** Same answers, whatever the key order (JSONB does not keep it). */
export function sameAnswers(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameAnswers(v, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).filter((k) => (a as Answers)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Answers)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameAnswers((a as Answers)[k], (b as Answers)[k]));
  }
  return false;
}

export function useDraftAutosave(options: AutosaveOptions) {
  const { orgSlug, formKey, versionId, context, userId, csrf, debounceMs = 1500 } = options;
  const key: CopyKey = { orgSlug, userId, versionId, context };
  const keyRef = useRef(key);
  keyRef.current = key;
  const url = `/app/${encodeURIComponent(orgSlug)}/forms/${encodeURIComponent(formKey)}/draft`;

  const [data, setDataState] = useState<Answers>(options.initial?.data ?? options.carried ?? {});
  const [status, setStatus] = useState<SaveStatus>(options.initial ? { kind: "saved", savedAt: options.initial.savedAt } : { kind: "idle" });
  const [restoredFromDevice, setRestored] = useState(false);

  const dataRef = useRef(data);
  const lockRef = useRef(options.initial?.lockVersion ?? 0);
  const dirtyRef = useRef(!options.initial && !!options.carried);
  const revisionRef = useRef(0); // bumps on every change: a save only clears "dirty" if none came since
  const inFlight = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stopped = useRef(false);
  const conflicted = useRef(false);
  const conflictLock = useRef(0);
  const idempotencyKey = useRef<string | undefined>(undefined);

  // Stable: it only touches refs; saveRef always holds the latest save.
  const saveRef = useRef<() => Promise<void>>(async () => undefined);
  const schedule = useCallback((ms: number) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveRef.current(), ms);
  }, []);

  const persistLocal = useCallback(() => {
    writeLocalCopy(keyRef.current, {
      data: dataRef.current,
      baseLockVersion: lockRef.current,
      dirty: dirtyRef.current,
      idempotencyKey: idempotencyKey.current,
      changedAt: Date.now(),
    });
  }, []);

  const body = useCallback(
    () => JSON.stringify({ formVersionId: versionId, context, lockVersion: lockRef.current, data: dataRef.current }),
    [versionId, context],
  );

  const fetchDraft = useCallback(async (): Promise<{ data: Answers; lockVersion: number; savedAt: string } | null> => {
    const query = new URLSearchParams({ formVersionId: versionId, context });
    const response = await fetch(`${url}?${query}`, { headers: { Accept: "application/json" } }).catch(() => null);
    if (!response?.ok) return null;
    return (await response.json()) as { data: Answers; lockVersion: number; savedAt: string };
  }, [url, versionId, context]);

  const save = useCallback(async (): Promise<void> => {
    if (stopped.current || conflicted.current || !dirtyRef.current) return;
    if (inFlight.current) {
      // One request at a time; the change that arrived meanwhile is saved right after.
      await inFlight.current;
      return save();
    }
    const revision = revisionRef.current;
    setStatus({ kind: "saving" });
    const run = (async () => {
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
          body: body(),
        });
        const result = (await response.json().catch(() => ({}))) as { lockVersion?: number; savedAt?: string; code?: string };
        if (response.ok && typeof result.lockVersion === "number") {
          lockRef.current = result.lockVersion;
          if (revisionRef.current === revision) dirtyRef.current = false;
          persistLocal();
          setStatus({ kind: "saved", savedAt: result.savedAt ?? new Date().toISOString() });
        } else if (response.status === 409 && result.code === "conflict") {
          // The newer save may hold exactly these answers (this page's own save on leaving
          // the previous page, say): then there is nothing to choose between.
          const theirs = await fetchDraft();
          if (theirs && sameAnswers(theirs.data, dataRef.current)) {
            lockRef.current = theirs.lockVersion;
            if (revisionRef.current === revision) dirtyRef.current = false;
            persistLocal();
            setStatus({ kind: "saved", savedAt: theirs.savedAt });
          } else {
            conflicted.current = true;
            conflictLock.current = result.lockVersion ?? 0;
            setStatus({ kind: "conflict", lockVersion: result.lockVersion ?? 0, savedAt: result.savedAt ?? "" });
          }
        } else if (response.status >= 500) {
          setStatus({ kind: "offline" });
          schedule(RETRY_MS);
        } else {
          setStatus({ kind: "error" });
        }
      } catch {
        setStatus({ kind: "offline" });
        schedule(RETRY_MS);
      }
    })();
    inFlight.current = run;
    await run;
    inFlight.current = null;
  }, [url, csrf, body, persistLocal, schedule, fetchDraft]);
  saveRef.current = save;

  const setData = useCallback(
    (next: Answers, change: { user: boolean } = { user: true }) => {
      if (stopped.current) return;
      dataRef.current = next;
      // Defaults the form filled in by itself are not worth a save (or a "restored" notice).
      if (!change.user) {
        setDataState(next);
        return;
      }
      dirtyRef.current = true;
      revisionRef.current++;
      setDataState(next);
      persistLocal();
      schedule(debounceMs);
    },
    [persistLocal, debounceMs, schedule],
  );

  // Start from this browser's copy when it holds changes the server never got.
  useEffect(() => {
    const local = readLocalCopy(keyRef.current);
    idempotencyKey.current = local?.idempotencyKey;
    if (chooseStart(options.initial, local) === "local" && local) {
      dataRef.current = local.data;
      dirtyRef.current = true;
      setDataState(local.data);
      setRestored(true);
      schedule(0);
    } else {
      if (local) removeLocalCopy(keyRef.current);
      if (dirtyRef.current) schedule(0); // carried-over answers: save them on this version
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per page (version, context)
  }, [versionId, context]);

  // Leaving or hiding the page: send what is unsaved now; fetch keepalive outlives the page
  // (sendBeacon cannot carry the CSRF header).
  useEffect(() => {
    const flush = () => {
      if (stopped.current || conflicted.current || !dirtyRef.current) return;
      if (timer.current) clearTimeout(timer.current);
      try {
        void fetch(url, {
          method: "POST",
          keepalive: true,
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
          body: body(),
        }).then(
          async (response) => {
            const result = (await response.json().catch(() => ({}))) as { lockVersion?: number };
            if (response.ok && typeof result.lockVersion === "number") {
              lockRef.current = result.lockVersion;
              dirtyRef.current = false;
              persistLocal();
            }
          },
          () => undefined,
        );
      } catch {
        // Too large for keepalive (64 KB): the local copy has it.
      }
    };
    const onVisibility = () => document.visibilityState === "hidden" && flush();
    const onOnline = () => dirtyRef.current && schedule(0);
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", flush);
    window.addEventListener("online", onOnline);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", flush);
      window.removeEventListener("online", onOnline);
      if (timer.current) clearTimeout(timer.current);
    };
  }, [url, csrf, body, persistLocal, schedule]);

  /** After a conflict: overwrite the newer server draft with what is on screen. */
  const keepMine = useCallback(() => {
    lockRef.current = conflictLock.current;
    conflicted.current = false;
    dirtyRef.current = true;
    schedule(0);
  }, [schedule]);

  /** After a conflict: replace what is on screen with the newer server draft. */
  const loadTheirs = useCallback(async () => {
    const draft = await fetchDraft();
    if (!draft) {
      setStatus({ kind: "offline" });
      return;
    }
    dataRef.current = draft.data;
    lockRef.current = draft.lockVersion;
    dirtyRef.current = false;
    conflicted.current = false;
    setDataState(draft.data);
    removeLocalCopy(keyRef.current);
    setStatus({ kind: "saved", savedAt: draft.savedAt });
  }, [fetchDraft]);

  /** Before submitting: no more autosaves, and none still on its way. */
  const pause = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    stopped.current = true;
    if (inFlight.current) await inFlight.current;
  }, []);

  const resume = useCallback(() => {
    stopped.current = false;
    if (dirtyRef.current) schedule(debounceMs);
  }, [debounceMs, schedule]);

  /** The submit key for this filling, kept with the local copy across reloads. */
  const submitKey = useCallback(() => {
    idempotencyKey.current ??= crypto.randomUUID();
    persistLocal();
    return idempotencyKey.current;
  }, [persistLocal]);

  /** After a stored submission: nothing left to save or restore. */
  const finish = useCallback(() => {
    stopped.current = true;
    if (timer.current) clearTimeout(timer.current);
    removeLocalCopy(keyRef.current);
  }, []);

  return { data, setData, status, restoredFromDevice, keepMine, loadTheirs, pause, resume, submitKey, finish };
}
