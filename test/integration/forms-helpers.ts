import { RouterContextProvider } from "react-router";
import { i18nextMiddleware } from "~/middleware/i18next";
import { BUILTIN_ROLES } from "~/models/roles.server";
import { createForm, publishForm, saveDraft, type FormContent } from "~/models/forms.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { requestContext, userContext } from "~/utils/context.server";
import { withTenant, type Tx } from "~/utils/db.server";
import { buildAbility, interpolateRules, type RuleJson } from "~/utils/permissions.server";
import { testDb, uniqueSlug, type TestOrg } from "./helpers";

// Shared by the forms-*.test.ts integration files.

export type Who = "admin" | "manager" | "staff";

export function actorFor(t: TestOrg, who: Who): AuditActor {
  return { orgId: t.org.id, actorUserId: t[who].id, actorLabel: t[who].email, requestId: "test", ip: "127.0.0.1" };
}

export function abilityFor(t: TestOrg, who: Who) {
  const rules = BUILTIN_ROLES.find((r) => r.key === who)!.rules as unknown[];
  const unitId = who === "staff" ? t.units.b : t.units.a;
  return buildAbility(interpolateRules(rules, { user: { id: t[who].id, unitId, email: t[who].email }, org: { id: t.org.id } }) as RuleJson[]);
}

export const asMember = <T>(t: TestOrg, who: Who, fn: (trx: Tx) => Promise<T>) => withTenant(testDb(), { orgId: t.org.id, userId: t[who].id }, fn);

/** A form with the given content, created and published by the admin. */
export async function publishedForm(t: TestOrg, content: FormContent, key = uniqueSlug("form")) {
  const admin = actorFor(t, "admin");
  return asMember(t, "admin", async (trx) => {
    const created = await createForm(trx, admin, { key, name_ar: "نموذج طلب", name_en: "Request form", content });
    if (!created.ok) throw new Error(`createForm: ${JSON.stringify(created)}`);
    const published = await publishForm(trx, admin, created.value.id, 1);
    if (!published.ok) throw new Error(`publishForm: ${JSON.stringify(published)}`);
    return { formId: created.value.id, key, versionId: published.value.id };
  });
}

export { saveDraft };

type Handler = (args: never) => Promise<Response>;

/**
 * A route module's loader or action called as React Router would for a signed-in member:
 * request context, session user and the root i18n middleware.
 */
export async function callRoute(handler: Handler, t: TestOrg, who: Who, path: string, init: RequestInit & { params?: Record<string, string> } = {}) {
  const context = new RouterContextProvider();
  context.set(requestContext, { requestId: "req-forms", nonce: "n", ip: "127.0.0.1" });
  context.set(userContext, {
    id: t[who].id,
    email: t[who].email,
    name: who,
    locale: null,
    isPlatformAdmin: false,
    sessionHash: "test-session",
    currentOrgId: t.org.id, // already "remembered": no session row is touched
  });
  const request = new Request(`http://localhost${path}`, { ...init, duplex: "half" } as RequestInit);
  let response: Response | undefined;
  await i18nextMiddleware({ request, context, params: {} } as never, async () => {
    response = await handler({ request, context, params: { org: t.org.slug, ...(init.params ?? {}) } } as never);
    return response;
  });
  return response!;
}
