// Typed failures of the case and task services. Route modules and the API map them to
// responses by `status` and `code`; the UI words them from `code` and the details.
// No server-only imports, so components may use the types.

export interface ActorRef {
  id: string;
  name: string;
}

export type ConflictCode =
  /** Someone completed the task first: `by` and `at` say who and when. */
  | "task_already_completed"
  /** Someone else holds (claimed) the task: `by` and `at` say who and since when. */
  | "task_already_claimed"
  /** The task was cancelled (its branch ended). */
  | "task_not_open"
  /** expectedRowVersion no longer matches: the task changed since the page was loaded. */
  | "task_changed"
  | "incident_already_resolved"
  /** The case is already completed or cancelled. */
  | "case_not_running"
  /** The same idempotency key was used earlier for a different action. */
  | "idempotency_key_reused";

export class CaseServiceError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message };
  }
}

export class ConflictError extends CaseServiceError {
  constructor(
    readonly code: ConflictCode,
    readonly by: ActorRef | null = null,
    /** ISO 8601 instant of the winning change (completed_at / claimed_at). */
    readonly at: string | null = null,
  ) {
    super(409, code, by ? `${code} by ${by.name} at ${at ?? "?"}` : code);
  }

  override toJSON() {
    return { code: this.code, by: this.by, at: this.at };
  }
}

export class NotFoundError extends CaseServiceError {
  constructor(readonly subject: "Case" | "Task" | "Incident" | "Definition" | "User", id: string) {
    super(404, "not_found", `${subject} ${id} not found`);
  }

  override toJSON() {
    return { code: this.code, subject: this.subject };
  }
}

export class ForbiddenError extends CaseServiceError {
  constructor(
    readonly action: string,
    readonly subject: string,
    /** Why, when it is more than "your roles do not allow it": not_candidate, not_assignee, target_not_candidate. */
    readonly reason: string | null = null,
  ) {
    super(403, "forbidden", `forbidden: ${action} ${subject}${reason ? ` (${reason})` : ""}`);
  }

  override toJSON() {
    return { code: this.code, action: this.action, subject: this.subject, reason: this.reason };
  }
}

export interface DataIssue {
  /** JSON pointer-ish path ("" for the whole object). */
  path: string;
  code:
    | "not_object"
    | "required"
    | "too_large"
    | "too_deep"
    | "invalid_outcome"
    | "invalid_key"
    | "invalid_value"
    | "too_long"
    /** The step names a form that has no published version (or was archived). */
    | "step_form_missing"
    /** A field of the step's form failed validation; `path` is its JSON pointer. */
    | "form_invalid";
  message: string;
}

export class ValidationError extends CaseServiceError {
  constructor(readonly issues: DataIssue[]) {
    super(400, "invalid", issues.map((i) => `${i.path || "(data)"}: ${i.message}`).join("; "));
  }

  override toJSON() {
    return { code: this.code, issues: this.issues };
  }
}
