import type { RouterContextProvider } from "react-router";
import { CaseServiceError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/models/case-errors";
import { PluginDisabledError, pluginDisabledMessage } from "~/models/plugin-node-kinds.server";
import { getInstance } from "~/middleware/i18next";
import { ApiError, apiLocale, readJsonBody, type ApiContext } from "./api.server";
import { appDb, withTenant, type Tx } from "./db.server";
import { conflictMessage } from "./workflow-errors.server";

// Shared by the workflow API routes: one transaction per request through the case and task
// services, their typed errors mapped onto the API's stable codes. A lost race is a 409
// whose details say who won and when, so a client can tell the person.

type Args = { request: Request; context: Readonly<RouterContextProvider> };

/** The engine namespace in the caller's language (Accept-Language first, as for all API messages). */
export function engineT(args: Args) {
  return getInstance(args.context).getFixedT(apiLocale(args.request, args.context), "engine");
}

export function serviceErrorToApi(args: Args, ctx: Pick<ApiContext, "prefs">, error: unknown): unknown {
  if (!(error instanceof CaseServiceError)) return error;
  const t = engineT(args);
  if (error instanceof ConflictError) {
    const prefs = { ...ctx.prefs, locale: apiLocale(args.request, args.context) };
    return new ApiError("conflict", conflictMessage(error, t, prefs), { reason: error.code, by: error.by, at: error.at });
  }
  if (error instanceof ForbiddenError) return new ApiError("forbidden", undefined, { action: error.action, subject: error.subject, ...(error.reason ? { reason: error.reason } : {}) });
  if (error instanceof NotFoundError) return new ApiError("not_found");
  if (error instanceof ValidationError) {
    const fields = Object.fromEntries(error.issues.map((i) => [fieldOf(i.path), i.message]));
    return new ApiError("validation_failed", undefined, { fields });
  }
  if (error instanceof PluginDisabledError) {
    return new ApiError("conflict", pluginDisabledMessage(error, t, apiLocale(args.request, args.context)), { reason: error.code, plugins: error.plugins.map((p) => ({ id: p.id, actionTypes: p.actionTypes })) });
  }
  return new ApiError(error.status === 409 ? "conflict" : error.status === 404 ? "not_found" : error.status === 403 ? "forbidden" : "validation_failed", error.message);
}

/** "/documentsComplete" → "data.documentsComplete"; "outcome" stays. */
function fieldOf(path: string): string {
  if (path === "") return "data";
  if (path.startsWith("/")) return `data.${path.slice(1).replace(/\//g, ".")}`;
  return path;
}

/** Runs `fn` in the caller's tenant transaction; service errors become API errors. */
export async function inTenant<T>(args: Args, ctx: ApiContext, fn: (trx: Tx) => Promise<T>): Promise<T> {
  try {
    return await withTenant(appDb(), ctx.scope, fn);
  } catch (error) {
    throw serviceErrorToApi(args, ctx, error);
  }
}

/** The Idempotency-Key header (validated by the service: 8–200 printable characters). */
export function idempotencyKeyOf(request: Request): string | undefined {
  return request.headers.get("idempotency-key")?.trim() || undefined;
}

/** A JSON body that may be left out entirely (no body, or an empty one, means {}). */
export async function readOptionalJsonBody(args: Args): Promise<unknown> {
  const text = await args.request.clone().text();
  return text.trim() === "" ? {} : readJsonBody(args);
}
