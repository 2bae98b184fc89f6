import { data } from "react-router";
import { CaseServiceError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/models/case-errors";
import { PluginDisabledError, pluginDisabledMessage } from "~/models/plugin-node-kinds.server";
import { isolate } from "./bidi";
import { formatDateTime, type DisplayPrefs } from "./format";

// The case and task services throw typed errors; the pages turn them into what people see
// (404/403 pages, a conflict message naming who was faster, field errors).

type T = (key: string, options?: Record<string, unknown>) => string;

/** In a loader: a missing or unreadable case/task is a 404, a refusal a 403 — the app's error pages. */
export function throwAsHttp(error: unknown): never {
  if (error instanceof NotFoundError) throw data({ code: "not_found" }, { status: 404 });
  if (error instanceof ForbiddenError) throw data({ code: "forbidden", action: error.action, subject: error.subject }, { status: 403 });
  throw error;
}

/** "This task was already completed by X on T." — names and dates in the organisation's format. */
export function conflictMessage(error: ConflictError, t: T, prefs: DisplayPrefs): string {
  return t(`task.conflict.${error.code}`, {
    name: isolate(error.by?.name || t("task.someone")),
    at: error.at ? isolate(formatDateTime(error.at, prefs)) : "",
  });
}

const FORBIDDEN_REASON: Record<string, string> = {
  not_candidate: "task.errors.notCandidate",
  not_assignee: "task.errors.notAssignee",
  target_not_candidate: "task.errors.targetNotCandidate",
};

/** A step form's refusal of one field: JSON pointer + message (the renderer's error format). */
export interface FormFieldError {
  path: string;
  message: string;
}

/**
 * A step form (start form, task form) refused the data: one line listing each field with the
 * reason (already worded in the member's language by the forms validator) for above the
 * form, and the same per field for next to the fields. Undefined for other errors.
 */
export function formRefusal(error: unknown, locale: string, t: T): { formError: string; formErrors: FormFieldError[] } | undefined {
  if (!(error instanceof ValidationError) || !error.issues.some((i) => i.code === "form_invalid")) return undefined;
  const detail = error.issues.map((i) => (i.path ? `${i.path.slice(1)}: ${i.message}` : i.message)).join(locale === "en" ? "; " : "؛ ");
  return { formError: t("task.errors.invalidData", { detail }), formErrors: error.issues.filter((i) => i.path).map((i) => ({ path: i.path, message: i.message })) };
}

export interface ActionFailure {
  status: number;
  conflict?: string;
  formError?: string;
  fieldErrors: Record<string, string>;
}

/**
 * A service error as a page answer: conflicts keep the person's input and say who won;
 * refusals and invalid data are shown above the form. Anything else is rethrown.
 */
export function actionFailure(error: unknown, t: T, prefs: DisplayPrefs): ActionFailure {
  if (error instanceof ConflictError) return { status: 409, conflict: conflictMessage(error, t, prefs), fieldErrors: {} };
  if (error instanceof ForbiddenError) {
    const key = (error.reason && FORBIDDEN_REASON[error.reason]) ?? "common:errors.forbidden";
    return { status: 403, formError: t(key), fieldErrors: error.reason === "target_not_candidate" ? { userId: t(key) } : {} };
  }
  if (error instanceof NotFoundError) {
    if (error.subject === "User") return { status: 400, fieldErrors: { userId: t("task.errors.chooseCandidate") } };
    throw data({ code: "not_found" }, { status: 404 });
  }
  if (error instanceof ValidationError) {
    return { status: 400, formError: t("task.errors.invalidData", { detail: error.issues.map((i) => i.message).join("; ") }), fieldErrors: {} };
  }
  if (error instanceof PluginDisabledError) return { status: 409, formError: pluginDisabledMessage(error, t, prefs.locale), fieldErrors: {} };
  if (error instanceof CaseServiceError) return { status: error.status, formError: error.message, fieldErrors: {} };
  throw error;
}
