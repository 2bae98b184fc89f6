import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useFetcher } from "react-router";
import type { DefinitionGraph } from "~/engine/definition";
import { useRootData } from "~/root";

// Draft autosave: a pause after each change, the graph goes to the page's action (the same
// "save" intent as the JSON editor: optimistic lock on lockVersion) through a fetcher, one
// request at a time. A refused save never touches the graph on screen. Until the server has
// a change it is also kept in this browser (localStorage), so a closed tab, a lost network
// or a conflict loses nothing; it is offered back when the designer opens again.

export const AUTOSAVE_DELAY_MS = 1500;
const RETRY_DELAY_MS = 10_000;

export type SaveAnswer =
  | { intent: "save"; ok: true; message: string; problems: number; lockVersion: number }
  | { intent: "save"; ok: false; message: string; issues: { path: string; message: string }[]; reload: boolean; conflict?: { lockVersion: number } }
  | { intent: "network"; ok: false };

export type SaveStatus = "clean" | "pending" | "saving" | "saved" | "invalid" | "conflict" | "noDraft" | "failed";

export interface SaveFailure {
  revision: number;
  kind: "invalid" | "conflict" | "noDraft" | "failed";
  message?: string;
  issues?: { path: string; message: string }[];
  /** The newer draft's lock version (to save over it). */
  lockVersion?: number;
}

interface Backup {
  baseLock: number;
  at: string;
  graph: DefinitionGraph;
}

const backupKey = (definitionId: string) => `masar:designer:${definitionId}`;

export function readBackup(definitionId: string): Backup | null {
  try {
    const raw = window.localStorage.getItem(backupKey(definitionId));
    return raw ? (JSON.parse(raw) as Backup) : null;
  } catch {
    return null;
  }
}

export function clearBackup(definitionId: string): void {
  try {
    window.localStorage.removeItem(backupKey(definitionId));
  } catch {
    /* storage unavailable */
  }
}

function writeBackup(definitionId: string, backup: Backup): void {
  try {
    window.localStorage.setItem(backupKey(definitionId), JSON.stringify(backup));
  } catch {
    /* storage full or disabled: the server copy still follows */
  }
}

interface Options {
  enabled: boolean;
  definitionId: string;
  graph: DefinitionGraph;
  revision: number;
  initialLock: number;
}

export function useDesignerSave({ enabled, definitionId, graph, revision, initialLock }: Options) {
  const csrf = useRootData()?.csrf ?? "";
  const fetcher = useFetcher<SaveAnswer>({ key: `designer-save-${definitionId}` });
  const fetcherSubmit = fetcher.submit;
  const [lockVersion, setLockVersion] = useState(initialLock);
  const [savedRevision, setSavedRevision] = useState(revision);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [failure, setFailure] = useState<SaveFailure | null>(null);
  const inflight = useRef<number | null>(null);
  const latest = useRef({ graph, revision, lockVersion });
  latest.current = { graph, revision, lockVersion };

  const submit = useCallback(
    (lock: number) => {
      const { graph: g, revision: rev } = latest.current;
      inflight.current = rev;
      writeBackup(definitionId, { baseLock: lock, at: new Date().toISOString(), graph: g });
      const body = new FormData();
      body.set("_csrf", csrf);
      body.set("intent", "save");
      body.set("lockVersion", String(lock));
      body.set("graph", JSON.stringify(g));
      void fetcherSubmit(body, { method: "post" });
    },
    [csrf, definitionId, fetcherSubmit],
  );

  // The answer to the request in flight.
  useEffect(() => {
    if (fetcher.state !== "idle" || inflight.current === null) return;
    const rev = inflight.current;
    inflight.current = null;
    const answer = fetcher.data;
    if (answer?.intent === "save" && answer.ok) {
      setLockVersion(answer.lockVersion);
      setSavedRevision(rev);
      setSavedAt(new Date());
      setFailure(null);
      if (rev === latest.current.revision) clearBackup(definitionId);
    } else if (answer?.intent === "save") {
      const kind = answer.conflict ? "conflict" : answer.reload ? "noDraft" : "invalid";
      setFailure({ revision: rev, kind, message: answer.message, issues: answer.issues, lockVersion: answer.conflict?.lockVersion });
    } else {
      setFailure({ revision: rev, kind: "failed" });
    }
  }, [fetcher.state, fetcher.data, definitionId]);

  const dirty = revision !== savedRevision;
  // Also busy while an answer has arrived but is not yet taken in (the effect above runs after
  // the children's effects): nothing may be sent with the old lock version meanwhile.
  const saving = fetcher.state !== "idle" || inflight.current !== null;
  const blocked = failure?.kind === "conflict" || failure?.kind === "noDraft";

  // A change not yet tried is saved after a pause; a network failure is retried; a refusal
  // (invalid graph, conflict, no draft) waits for the person or the next change.
  useEffect(() => {
    if (!enabled || !dirty || saving || blocked) return;
    const retry = failure?.revision === revision;
    if (retry && failure.kind !== "failed") return;
    const timer = window.setTimeout(() => submit(latest.current.lockVersion), retry ? RETRY_DELAY_MS : AUTOSAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [enabled, dirty, saving, blocked, failure, revision, submit]);

  useEffect(() => {
    if (!enabled || !dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      writeBackup(definitionId, { baseLock: latest.current.lockVersion, at: new Date().toISOString(), graph: latest.current.graph });
      e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [enabled, dirty, definitionId]);

  let status: SaveStatus;
  if (saving) status = "saving";
  else if (blocked) status = failure!.kind;
  else if (!dirty) status = savedAt ? "saved" : "clean";
  else if (failure?.revision === revision) status = failure.kind;
  else status = "pending";

  const failureRef = useRef(failure);
  failureRef.current = failure;
  const saveNow = useCallback(() => (inflight.current !== null || !enabled ? undefined : submit(latest.current.lockVersion)), [enabled, submit]);
  /** After a conflict: save what is on screen over the newer draft. */
  const overwrite = useCallback(() => {
    const lock = failureRef.current?.lockVersion;
    if (inflight.current === null && lock !== undefined) submit(lock);
  }, [submit]);
  // One object per state, so the memoised toolbar re-renders only when the state changes.
  return useMemo(() => ({ lockVersion, status, savedAt, failure, dirty, saving, saveNow, overwrite }), [lockVersion, status, savedAt, failure, dirty, saving, saveNow, overwrite]);
}
