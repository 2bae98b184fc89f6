import { useCallback, useEffect, useRef, useState } from "react";
import type { FormVersionJson } from "~/forms/model";
import { useRootData } from "~/root";

// Saves the builder's draft a few seconds after each change (and on demand), one request
// at a time, with the lock version the server last gave. The save endpoint is a resource
// route answering JSON, so a network error is an ordinary failure here (retried), never an
// error page. Until the server has a change, it is also kept in this browser
// (localStorage): closing the tab or a refused schema loses nothing typed.

export const AUTOSAVE_DELAY_MS = 2500;
const RETRY_DELAY_MS = 10_000;

export interface ServerProblem {
  code: string;
  path: string;
  severity: "error" | "warning";
  text: string;
}

export type SaveAnswer =
  | { ok: true; lockVersion: number; savedAt: string; warnings: ServerProblem[] }
  | { ok: false; reason: "invalid"; problems: ServerProblem[] }
  | { ok: false; reason: "conflict"; current: { lockVersion: number; updatedAt: string } }
  | { ok: false; reason: "archived" | "not_found" | "failed" };

export type SaveStatus = "clean" | "pending" | "saving" | "saved" | "invalid" | "conflict" | "failed" | "archived";

interface Backup {
  baseLock: number;
  at: string;
  content: FormVersionJson;
}

const backupKey = (formId: string) => `masar:form-builder:${formId}`;

export function readBackup(formId: string): Backup | null {
  try {
    const raw = window.localStorage.getItem(backupKey(formId));
    return raw ? (JSON.parse(raw) as Backup) : null;
  } catch {
    return null;
  }
}

export function clearBackup(formId: string): void {
  try {
    window.localStorage.removeItem(backupKey(formId));
  } catch {
    /* storage unavailable: nothing to clear */
  }
}

function writeBackup(formId: string, backup: Backup): void {
  try {
    window.localStorage.setItem(backupKey(formId), JSON.stringify(backup));
  } catch {
    /* storage full or disabled: the server copy still follows */
  }
}

async function post(url: string, csrf: string, body: unknown): Promise<SaveAnswer> {
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-csrf-token": csrf, accept: "application/json" }, body: JSON.stringify(body) });
    if (res.headers.get("content-type")?.includes("application/json")) return (await res.json()) as SaveAnswer;
    return { ok: false, reason: "failed" };
  } catch {
    return { ok: false, reason: "failed" };
  }
}

interface Options {
  url: string;
  formId: string;
  initialLock: number;
  revision: number;
  content: () => FormVersionJson;
  enabled: boolean;
}

export function useAutosave({ url, formId, initialLock, revision, content, enabled }: Options) {
  const csrf = useRootData()?.csrf ?? "";
  const [lockVersion, setLockVersion] = useState(initialLock);
  const [savedRevision, setSavedRevision] = useState(revision);
  const [attempt, setAttempt] = useState<{ revision: number; outcome: SaveStatus } | null>(null);
  const [saving, setSaving] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [problems, setProblems] = useState<ServerProblem[]>([]);
  const [conflict, setConflict] = useState<{ lockVersion: number; updatedAt: string } | null>(null);
  const contentRef = useRef(content);
  contentRef.current = content;
  const revisionRef = useRef(revision);
  revisionRef.current = revision;

  const save = useCallback(
    async (lock: number) => {
      const rev = revisionRef.current;
      setSaving(true);
      const answer = await post(url, csrf, { lockVersion: lock, content: contentRef.current() });
      setSaving(false);
      if (answer.ok) {
        setLockVersion(answer.lockVersion);
        setSavedRevision(rev);
        setSavedAt(answer.savedAt);
        setProblems(answer.warnings);
        setConflict(null);
        setAttempt({ revision: rev, outcome: "saved" });
        if (rev === revisionRef.current) clearBackup(formId);
      } else if (answer.reason === "invalid") {
        setProblems(answer.problems);
        setAttempt({ revision: rev, outcome: "invalid" });
      } else if (answer.reason === "conflict") {
        setConflict(answer.current);
        setAttempt({ revision: rev, outcome: "conflict" });
      } else {
        setAttempt({ revision: rev, outcome: answer.reason === "archived" ? "archived" : "failed" });
      }
    },
    [url, csrf, formId],
  );

  const dirty = revision !== savedRevision;

  useEffect(() => {
    if (enabled && dirty) writeBackup(formId, { baseLock: lockVersion, at: new Date().toISOString(), content: contentRef.current() });
  }, [enabled, dirty, revision, lockVersion, formId]);

  // A change not yet tried is saved after a pause; a failed try is retried later; a refused
  // one (invalid, conflict, archived) waits for the person.
  useEffect(() => {
    if (!enabled || !dirty || saving || conflict) return;
    const retry = attempt?.revision === revision;
    if (retry && attempt.outcome !== "failed") return;
    const timer = window.setTimeout(() => void save(lockVersion), retry ? RETRY_DELAY_MS : AUTOSAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [enabled, dirty, saving, conflict, attempt, revision, lockVersion, save]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  let status: SaveStatus;
  if (saving) status = "saving";
  else if (conflict) status = "conflict";
  else if (!dirty) status = savedAt ? "saved" : "clean";
  else if (attempt?.revision === revision && attempt.outcome !== "saved") status = attempt.outcome;
  else status = "pending";

  return {
    lockVersion,
    status,
    savedAt,
    problems,
    conflict,
    dirty,
    saveNow: () => (saving ? undefined : void save(lockVersion)),
    overwrite: () => (conflict ? void save(conflict.lockVersion) : undefined),
  };
}
