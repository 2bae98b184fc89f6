import type { RouterContextProvider } from "react-router";
import { isRouteErrorResponse } from "react-router";
import { z } from "zod";
import { authenticate, type TokenPrincipal } from "~/models/api-tokens.server";
import { getInstance, getLocale } from "~/middleware/i18next";
import { requestContext, type SessionUser } from "./context.server";
import { appDb, isDatabaseUnavailable, withPlatform } from "./db.server";
import { log } from "./log.server";
import { API_ERROR_STATUS, type ApiErrorCode } from "./api-errors";
import { auditAccessDenied, resolveOrgMember, type OrgContext } from "./org-context.server";

// The /api/v1 plumbing: bearer-token authentication onto the same OrgContext as the UI, and
// one JSON error shape with stable codes. Every API route is wrapped in apiRoute(), so no
// failure ever reaches React Router's HTML error pages.

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; requestId: string | null; details?: Record<string, unknown> };
}

/** Thrown inside API handlers; apiRoute() turns it into the JSON error response. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message ?? code);
  }
  /** True when the message was given (translated) rather than defaulted from the code. */
  get hasMessage(): boolean {
    return this.message !== this.code;
  }
}

const NO_STORE = { "Cache-Control": "no-store" };

/** The JSON error response: `{ error: { code, message, requestId } }`. */
export function apiError(
  code: ApiErrorCode,
  status: number,
  message: string,
  extra: { requestId?: string | null; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Response {
  const body: ApiErrorBody = { error: { code, message, requestId: extra.requestId ?? null, ...(extra.details ? { details: extra.details } : {}) } };
  return Response.json(body, { status, headers: { ...NO_STORE, ...extra.headers } });
}

export function apiJson(value: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(value, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

type ApiArgs = { request: Request; context: Readonly<RouterContextProvider>; params: Record<string, string | undefined> };

/** API messages follow Accept-Language first (API clients rarely carry our cookie), then ?lng / cookie, Arabic by default. */
export function apiLocale(request: Request, context: Readonly<RouterContextProvider>): "ar" | "en" {
  const first = (request.headers.get("accept-language") ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  if (first.startsWith("en")) return "en";
  if (first.startsWith("ar")) return "ar";
  return getLocale(context) === "en" ? "en" : "ar";
}

export function apiT(args: Pick<ApiArgs, "request" | "context">) {
  return getInstance(args.context).getFixedT(apiLocale(args.request, args.context), "tokens");
}

const STATUS_CODES = new Map<number, ApiErrorCode>(Object.entries(API_ERROR_STATUS).map(([code, status]) => [status, code as ApiErrorCode]));

function codeForStatus(status: number): ApiErrorCode {
  if (status >= 300 && status < 400) return "unauthorized"; // a redirect to sign-in
  return STATUS_CODES.get(status) ?? (status >= 500 ? "internal" : "validation_failed");
}

/** React Router's data(): assertCan() and notFound() throw these. */
function isDataWithInit(value: unknown): value is { data: unknown; init: ResponseInit | null } {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

/** Maps anything a handler may throw onto the stable error shape. */
export function toApiErrorResponse(args: Pick<ApiArgs, "request" | "context">, error: unknown): Response {
  const t = apiT(args);
  const requestId = args.context.get(requestContext)?.requestId ?? null;
  const respond = (code: ApiErrorCode, message?: string, details?: Record<string, unknown>, headers?: Record<string, string>) =>
    apiError(code, API_ERROR_STATUS[code], message ?? t(`api.errors.${code}`), { requestId, details, headers });

  if (error instanceof ApiError) return respond(error.code, error.hasMessage ? error.message : undefined, error.details, error.headers);
  if (isDataWithInit(error)) {
    const code = codeForStatus(error.init?.status ?? 500);
    const payload = error.data as { action?: unknown; subject?: unknown } | null;
    const details = code === "forbidden" && payload && typeof payload.action === "string" ? { action: payload.action, subject: payload.subject } : undefined;
    return respond(code, undefined, details);
  }
  if (error instanceof Response) return respond(codeForStatus(error.status));
  if (isRouteErrorResponse(error)) return respond(codeForStatus(error.status));
  if (isDatabaseUnavailable(error)) {
    log.warn("database unavailable", { error: (error as Error).message, requestId });
    return respond("service_unavailable", undefined, undefined, { "Retry-After": "5" });
  }
  if ((error as { code?: unknown } | null)?.code === "23505") return respond("conflict");
  log.error("api request failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error), requestId });
  return respond("internal");
}

/**
 * Wraps a loader or action of an API resource route: the handler returns JSON-able data or
 * a Response; whatever it throws becomes a JSON error.
 */
export function apiRoute<A extends ApiArgs>(handler: (args: A) => Promise<unknown> | unknown) {
  return async (args: A): Promise<Response> => {
    try {
      const result = await handler(args);
      return result instanceof Response ? result : apiJson(result);
    } catch (error) {
      return toApiErrorResponse(args, error);
    }
  };
}

/** For the methods a route does not serve (405 with Allow). */
export function methodNotAllowed(allow: string[]) {
  return apiRoute(() => {
    throw new ApiError("method_not_allowed", undefined, undefined, { Allow: allow.join(", ") });
  });
}

export interface ApiContext extends OrgContext {
  token: TokenPrincipal["token"];
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Authenticates the bearer token and builds the same OrgContext as requireOrgMember, from
 * the same code (resolveOrgMember). A token belongs to one organisation: any other slug in
 * the URL answers 404 — exactly as for an organisation that does not exist — and the attempt
 * is audit-logged in the token's organisation. Cookies are never a credential here.
 */
export async function requireApiContext(args: ApiArgs): Promise<ApiContext> {
  const match = BEARER.exec(args.request.headers.get("authorization") ?? "");
  const challenge = { "WWW-Authenticate": match ? 'Bearer realm="masar", error="invalid_token"' : 'Bearer realm="masar"' };
  if (!match) throw new ApiError("unauthorized", undefined, undefined, challenge);
  const principal = await withPlatform(appDb(), (trx) => authenticate(trx, match[1]!));
  if (!principal) throw new ApiError("unauthorized", undefined, undefined, challenge);
  // The token stands in for a session: its organisation is the "current" one, which is
  // also where auditAccessDenied records a denied attempt.
  const user: SessionUser = {
    id: principal.user.id,
    email: principal.user.email,
    name: principal.user.name,
    locale: principal.user.locale,
    isPlatformAdmin: principal.user.is_platform_admin,
    sessionHash: "",
    currentOrgId: principal.org.id,
  };
  const slug = args.params.org ?? principal.org.slug;
  if (slug !== principal.org.slug) {
    await auditAccessDenied(args.context, args.request, user, slug);
    throw new ApiError("not_found");
  }
  const ctx = await resolveOrgMember(args.context, args.request, user, slug, { rememberOrg: false });
  return { ...ctx, token: principal.token };
}

type Translate = ReturnType<typeof apiT>;

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined), input);
}

/** One zod issue as a message in the caller's language (our schemas may also carry "api.*" keys). */
function issueMessage(issue: z.core.$ZodIssue, input: unknown, t: Translate): string {
  if (issue.message.startsWith("api.")) return t(issue.message);
  const kind = (expected: unknown) => t(`api.validation.types.${String(expected)}`, { defaultValue: String(expected) });
  switch (issue.code) {
    case "invalid_type":
      return valueAt(input, issue.path) === undefined ? t("api.validation.required") : t("api.validation.invalidType", { expected: kind(issue.expected) });
    case "too_small":
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? t("api.validation.required") : t("api.validation.tooShort", { min: Number(issue.minimum) });
      return t("api.validation.tooSmall", { min: Number(issue.minimum) });
    case "too_big":
      return issue.origin === "string" ? t("api.validation.tooLong", { max: Number(issue.maximum) }) : t("api.validation.tooBig", { max: Number(issue.maximum) });
    case "invalid_format":
      return issue.format === "uuid" ? t("api.validation.invalidId") : t("api.validation.invalidFormat");
    case "invalid_value":
      return t("api.validation.invalidChoice");
    default:
      return t("api.validation.invalidValue");
  }
}

/** Field errors from zod, in the caller's language; the field path joined with ".". */
export function validationFailed(args: Pick<ApiArgs, "request" | "context">, error: z.ZodError, input?: unknown): ApiError {
  const t = apiT(args);
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "_body";
    fields[field] ??= issueMessage(issue, input, t);
  }
  return new ApiError("validation_failed", t("api.errors.validation_failed"), { fields });
}

const MAX_BODY_CHARS = 100_000;

/** The request's JSON body; anything else is a validation failure, not a crash. */
export async function readJsonBody(args: Pick<ApiArgs, "request" | "context">): Promise<unknown> {
  const t = apiT(args);
  const type = args.request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new ApiError("validation_failed", t("api.body.notJson"), { fields: { _body: t("api.body.notJson") } });
  const text = await args.request.text();
  if (text.length > MAX_BODY_CHARS) throw new ApiError("validation_failed", t("api.body.tooLarge"), { fields: { _body: t("api.body.tooLarge") } });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError("validation_failed", t("api.body.invalidJson"), { fields: { _body: t("api.body.invalidJson") } });
  }
}

export const pagingQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  q: z.string().trim().max(100).default(""),
});

/** ?page, ?pageSize (≤ 100) and ?q, validated: out-of-range values are a 400, not clamped. */
export function parseApiPaging(args: Pick<ApiArgs, "request" | "context">) {
  const params = Object.fromEntries(new URL(args.request.url).searchParams);
  const query = { page: params.page || undefined, pageSize: params.pageSize || undefined, q: params.q };
  const parsed = pagingQuery.safeParse(query);
  if (!parsed.success) throw validationFailed(args, parsed.error, query);
  return { ...parsed.data, offset: (parsed.data.page - 1) * parsed.data.pageSize };
}
