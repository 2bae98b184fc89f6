import { data, type RouterContextProvider } from "react-router";
import { recordAudit } from "~/models/audit.server";
import { loadMembership } from "~/models/memberships.server";
import { refuseDisabledPluginPath } from "~/models/plugin-orgs.server";
import { displayPrefs, findOrgBySlug } from "~/models/organisations.server";
import { setSessionOrg } from "~/models/sessions.server";
import { getLocale } from "~/middleware/i18next";
import { requestContext, type SessionUser } from "./context.server";
import { appDb, withPlatform, withTenant, type TenantScope } from "./db.server";
import type { Organisation } from "./db-types";
import type { DisplayPrefs } from "./format";
import { buildAbility, interpolateRules, type AppAbility, type RuleJson } from "./permissions.server";
import { requireUser } from "./session.server";

export interface OrgContext {
  user: SessionUser;
  org: Organisation;
  scope: TenantScope;
  unitId: string | null;
  roleKeys: string[];
  rules: RuleJson[];
  ability: AppAbility;
  prefs: DisplayPrefs;
  locale: "ar" | "en";
}

export function notFound(): never {
  throw data({ code: "not_found" }, { status: 404 });
}

/**
 * Every /app/:org loader and action starts here. A user who is not an active member of
 * the organisation in the URL gets 404 — the same answer as for an organisation that does
 * not exist, so nothing about other tenants leaks — and the attempt is audit-logged in
 * the actor's own chain.
 */
export async function requireOrgMember(
  args: { request: Request; context: Readonly<RouterContextProvider>; params: { org?: string } },
): Promise<OrgContext> {
  const user = requireUser(args.context, args.request);
  const ctx = await resolveOrgMember(args.context, args.request, user, args.params.org ?? "");
  // Pages of a plugin this organisation has not enabled do not exist here.
  await refuseDisabledPluginPath(ctx, args.request);
  return ctx;
}

/**
 * The one path from (user, slug) to an OrgContext, shared by the UI (session cookie) and the
 * API (bearer token, app/utils/api.server.ts). Only a browser session remembers the last
 * organisation; an API call passes rememberOrg: false.
 */
export async function resolveOrgMember(
  context: Readonly<RouterContextProvider>,
  request: Request,
  user: SessionUser,
  slug: string,
  options: { rememberOrg?: boolean } = {},
): Promise<OrgContext> {
  const db = appDb();
  const org = await findOrgBySlug(db, slug);
  const found = org ? await withTenant(db, { orgId: org.id, userId: user.id }, (trx) => loadMembership(trx, org.id, user.id)) : undefined;
  if (!org || !found) {
    await auditAccessDenied(context, request, user, slug);
    notFound();
  }
  if ((options.rememberOrg ?? true) && user.currentOrgId !== org.id) await setSessionOrg(db, user.sessionHash, org.id);
  const rules = found.roles.flatMap((role) =>
    interpolateRules(Array.isArray(role.rules) ? (role.rules as unknown[]) : [], {
      user: { id: user.id, unitId: found.membership.unit_id, email: user.email },
      org: { id: org.id },
    }),
  );
  const locale = getLocale(context) === "en" ? "en" : "ar";
  return {
    user,
    org,
    scope: { orgId: org.id, userId: user.id },
    unitId: found.membership.unit_id,
    roleKeys: found.roles.map((r) => r.key),
    rules,
    ability: buildAbility(rules),
    prefs: displayPrefs(org, locale),
    locale,
  };
}

/** "access.denied" in the actor's own chain (their current organisation, else the platform's). */
export async function auditAccessDenied(context: Readonly<RouterContextProvider>, request: Request, user: SessionUser, slug: string) {
  const info = context.get(requestContext);
  const entry = {
    actorUserId: user.id,
    actorLabel: user.email,
    action: "access.denied",
    subjectType: "Organisation",
    subjectId: slug.slice(0, 100),
    after: { method: request.method, path: new URL(request.url).pathname.slice(0, 500) },
    requestId: info.requestId,
    ip: info.ip,
  };
  const db = appDb();
  if (user.currentOrgId) {
    await withTenant(db, { orgId: user.currentOrgId, userId: user.id }, (trx) => recordAudit(trx, { ...entry, orgId: user.currentOrgId }));
  } else {
    await withPlatform(db, (trx) => recordAudit(trx, { ...entry, orgId: null }));
  }
}
