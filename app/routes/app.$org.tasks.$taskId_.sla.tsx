import { data } from "react-router";
import type { Route } from "./+types/app.$org.tasks.$taskId_.sla";
import { getInstance } from "~/middleware/i18next";
import { CaseServiceError, ValidationError } from "~/models/case-errors";
import { MAX_PAUSE_REASON, PAUSE_KINDS, setClockPaused, type PauseKind } from "~/models/sla-pause.server";
import { appDb, withTenant } from "~/utils/db.server";
import { requireOrgMember } from "~/utils/org-context.server";
import { assertCan } from "~/utils/permissions.server";
import type { SlaActionData } from "~/components/sla/task-sla-panel";

// Pause / resume a task's SLA clock (the task page's SLA panel posts here with a fetcher).
// Refusals come back with the input kept and the message next to the field.

export async function action(args: Route.ActionArgs) {
  const ctx = await requireOrgMember(args);
  assertCan(ctx.ability, "update", "Task");
  const t = getInstance(args.context).getFixedT(null, "deadlines");
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  const kindRaw = String(form.get("kind") ?? "other");
  const values = { kind: kindRaw, reason: String(form.get("reason") ?? "") };
  const refuse = (status: number, fieldErrors: Record<string, string>) => data<SlaActionData>({ ok: false, intent, values, fieldErrors }, { status });
  if (intent !== "pause" && intent !== "resume") return refuse(400, { _form: t("common:errors.invalid") });
  const kind: PauseKind = (PAUSE_KINDS as readonly string[]).includes(kindRaw) ? (kindRaw as PauseKind) : "other";
  if (intent === "pause" && !values.reason.trim()) return refuse(400, { reason: t("errors.reasonRequired") });
  if (values.reason.trim().length > MAX_PAUSE_REASON) return refuse(400, { reason: t("errors.tooLong", { max: MAX_PAUSE_REASON }) });
  try {
    await withTenant(appDb(), ctx.scope, (trx) => setClockPaused(trx, ctx, args.params.taskId, intent === "pause", { kind, reason: values.reason }));
    return { ok: true as const, intent } satisfies SlaActionData;
  } catch (error) {
    if (error instanceof ValidationError) return refuse(400, { reason: t("errors.reasonRequired") });
    if (error instanceof CaseServiceError) {
      const key = error.code === "forbidden" ? "errors.forbidden" : `errors.${error.code}`;
      return refuse(error.status, { _form: t(key, { defaultValue: t("common:errors.server") }) });
    }
    throw error;
  }
}
