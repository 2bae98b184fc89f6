import { sql } from "kysely";
import { RouterContextProvider } from "react-router";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { i18nextMiddleware } from "~/middleware/i18next";
import { authenticate, createToken, listTokens, revokeToken } from "~/models/api-tokens.server";
import { requestContext } from "~/utils/context.server";
import { sha256 } from "~/utils/crypto.server";
import { withPlatform, withTenant } from "~/utils/db.server";
import { setLogLevel } from "~/utils/log.server";
import { buildAbility, interpolateRules, type RuleJson } from "~/utils/permissions.server";
import { BUILTIN_ROLES } from "~/models/roles.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import { makeOrg, testDb, testOwnerDb, type TestOrg } from "./helpers";
import * as meRoute from "~/routes/api.v1.me";
import * as orgRoute from "~/routes/api.v1.orgs.$org";
import * as unitsRoute from "~/routes/api.v1.orgs.$org_.units";
import * as unitRoute from "~/routes/api.v1.orgs.$org_.units_.$unitId";

const owner = testOwnerDb();
afterAll(() => owner.destroy());

function actorFor(t: TestOrg, who: "admin" | "manager" | "staff"): AuditActor {
  return { orgId: t.org.id, actorUserId: t[who].id, actorLabel: t[who].email, requestId: "test", ip: "127.0.0.1" };
}

function abilityFor(t: TestOrg, who: "admin" | "manager" | "staff", unitId: string | null) {
  const rules = BUILTIN_ROLES.find((r) => r.key === who)!.rules as unknown[];
  return buildAbility(interpolateRules(rules, { user: { id: t[who].id, unitId, email: t[who].email }, org: { id: t.org.id } }) as RuleJson[]);
}

async function newToken(t: TestOrg, who: "admin" | "manager" | "staff", expiresInDays: number | null = 30, name = "تقرير شهري") {
  return withTenant(testDb(), { orgId: t.org.id, userId: t[who].id }, (trx) => createToken(trx, actorFor(t, who), { name, expiresInDays }));
}

const auth = (secret: string) => withPlatform(testDb(), (trx) => authenticate(trx, secret));

async function auditRows(orgId: string, action: string) {
  return withPlatform(testDb(), (trx) => trx.selectFrom("audit_log").selectAll().where("org_id", "=", orgId).where("action", "=", action).orderBy("seq").execute());
}

describe("personal access tokens (model)", () => {
  it("shows the secret once and stores only its SHA-256", async () => {
    const t = await makeOrg();
    const { token, secret } = await newToken(t, "staff");
    expect(secret).toMatch(/^msr_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(`msr_${token.prefix}_`)).toBe(true);
    expect(token).not.toHaveProperty("token_hash");
    const row = await sql<Record<string, unknown>>`SELECT * FROM api_tokens WHERE id = ${token.id}`.execute(owner);
    const stored = row.rows[0]!;
    expect(stored.token_hash).toBe(sha256(secret));
    const secretPart = secret.split("_").slice(2).join("_");
    for (const value of Object.values(stored)) expect(String(value)).not.toContain(secretPart);
    // The audit entry names the token but never carries the secret.
    const [entry] = await auditRows(t.org.id, "token.create");
    expect(entry?.subject_id).toBe(token.id);
    expect(JSON.stringify(entry)).not.toContain(secretPart);
    expect(JSON.stringify(entry?.after)).toContain(token.prefix);
  });

  it("authenticates the exact secret to its user and organisation, and nothing else", async () => {
    const t = await makeOrg();
    const { token, secret } = await newToken(t, "manager", null);
    const found = await auth(secret);
    expect(found?.user.id).toBe(t.manager.id);
    expect(found?.org).toEqual({ id: t.org.id, slug: t.org.slug });
    expect(found?.token.id).toBe(token.id);
    expect(await auth(secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A"))).toBeNull();
    expect(await auth(`msr_${token.prefix}_`)).toBeNull();
    expect(await auth("")).toBeNull();
    expect(await auth(sha256(secret))).toBeNull(); // the stored hash is not a credential
  });

  it("a revoked token fails, the revocation is audit-logged, and revoking again changes nothing", async () => {
    const t = await makeOrg();
    const { token, secret } = await newToken(t, "staff");
    expect(await auth(secret)).not.toBeNull();
    const revoke = () =>
      withTenant(testDb(), { orgId: t.org.id, userId: t.staff.id }, (trx) =>
        revokeToken(trx, actorFor(t, "staff"), { tokenId: token.id, ability: abilityFor(t, "staff", t.units.b) }),
      );
    expect(await revoke()).toEqual({ ok: true, name: "تقرير شهري" });
    expect(await auth(secret)).toBeNull();
    expect(await revoke()).toEqual({ ok: true, name: "تقرير شهري" });
    const entries = await auditRows(t.org.id, "token.revoke");
    expect(entries).toHaveLength(1);
    expect(entries[0]?.before).toMatchObject({ revokedAt: null });
  });

  it("an expired token fails", async () => {
    const t = await makeOrg();
    const { token, secret } = await newToken(t, "staff", 1);
    expect(await auth(secret)).not.toBeNull();
    await sql`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = ${token.id}`.execute(owner);
    expect(await auth(secret)).toBeNull();
  });

  it("disabling the membership, the user or the organisation makes authentication fail", async () => {
    const t = await makeOrg();
    const { secret } = await newToken(t, "staff");
    expect(await auth(secret)).not.toBeNull();
    await sql`UPDATE memberships SET disabled_at = now() WHERE org_id = ${t.org.id} AND user_id = ${t.staff.id}`.execute(owner);
    expect(await auth(secret)).toBeNull();
    await sql`UPDATE memberships SET disabled_at = NULL WHERE org_id = ${t.org.id} AND user_id = ${t.staff.id}`.execute(owner);
    expect(await auth(secret)).not.toBeNull();
    await sql`UPDATE users SET disabled_at = now() WHERE id = ${t.staff.id}`.execute(owner);
    expect(await auth(secret)).toBeNull();
    await sql`UPDATE users SET disabled_at = NULL WHERE id = ${t.staff.id}`.execute(owner);
    await sql`UPDATE organisations SET disabled_at = now() WHERE id = ${t.org.id}`.execute(owner);
    expect(await auth(secret)).toBeNull();
  });

  it("records last use at most once a minute", async () => {
    const t = await makeOrg();
    const { token, secret } = await newToken(t, "staff");
    const lastUsed = async () =>
      (await sql<{ last_used_at: Date | null }>`SELECT last_used_at FROM api_tokens WHERE id = ${token.id}`.execute(owner)).rows[0]!.last_used_at;
    expect(await lastUsed()).toBeNull();
    await auth(secret);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await sql`UPDATE api_tokens SET last_used_at = now() - interval '30 seconds' WHERE id = ${token.id}`.execute(owner);
    const recent = await lastUsed();
    await auth(secret);
    expect(await lastUsed()).toEqual(recent);
    await sql`UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = ${token.id}`.execute(owner);
    await auth(secret);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it("lists only the member's own tokens, without hashes; rejects bad expiry values", async () => {
    const t = await makeOrg();
    await newToken(t, "staff", 7, "أ");
    await newToken(t, "staff", null, "ب");
    await newToken(t, "admin", 30, "للمسؤول");
    const mine = await withTenant(testDb(), { orgId: t.org.id, userId: t.staff.id }, (trx) => listTokens(trx, t.org.id, t.staff.id));
    expect(mine.map((r) => r.name).sort()).toEqual(["أ", "ب"]);
    expect(mine.every((r) => !("token_hash" in r))).toBe(true);
    await expect(newToken(t, "staff", 0)).rejects.toThrow(RangeError);
    await expect(newToken(t, "staff", 1.5)).rejects.toThrow(RangeError);
  });

  it("another member's token needs manage ApiToken; another organisation's token is not found", async () => {
    const t = await makeOrg();
    const other = await makeOrg();
    const { token, secret } = await newToken(t, "admin");
    const foreign = await newToken(other, "admin");
    const byStaff = await withTenant(testDb(), { orgId: t.org.id, userId: t.staff.id }, (trx) =>
      revokeToken(trx, actorFor(t, "staff"), { tokenId: token.id, ability: abilityFor(t, "staff", t.units.b) }),
    );
    expect(byStaff).toEqual({ ok: false, reason: "forbidden" });
    expect(await auth(secret)).not.toBeNull();
    const crossOrg = await withTenant(testDb(), { orgId: t.org.id, userId: t.admin.id }, (trx) =>
      revokeToken(trx, actorFor(t, "admin"), { tokenId: foreign.token.id, ability: abilityFor(t, "admin", t.units.a) }),
    );
    expect(crossOrg).toEqual({ ok: false, reason: "not_found" });
    expect(await auth(foreign.secret)).not.toBeNull();
    const staffToken = await newToken(t, "staff");
    const byAdmin = await withTenant(testDb(), { orgId: t.org.id, userId: t.admin.id }, (trx) =>
      revokeToken(trx, actorFor(t, "admin"), { tokenId: staffToken.token.id, ability: abilityFor(t, "admin", t.units.a) }),
    );
    expect(byAdmin).toMatchObject({ ok: true });
    expect(await auth(staffToken.secret)).toBeNull();
    const bogus = await withTenant(testDb(), { orgId: t.org.id, userId: t.admin.id }, (trx) =>
      revokeToken(trx, actorFor(t, "admin"), { tokenId: "not-a-uuid", ability: abilityFor(t, "admin", t.units.a) }),
    );
    expect(bogus).toEqual({ ok: false, reason: "not_found" });
  });
});

// The API routes called as React Router would: root middleware (i18n) first, then the loader.
type RouteHandler = (args: never) => Promise<Response>;
async function call(handler: RouteHandler, path: string, init: RequestInit & { params?: Record<string, string> } = {}) {
  const context = new RouterContextProvider();
  context.set(requestContext, { requestId: "req-test-1", nonce: "n", ip: "127.0.0.1" });
  const request = new Request(`http://localhost${path}`, init);
  const args = { request, context, params: init.params ?? {} } as never;
  let response: Response | undefined;
  await i18nextMiddleware({ request, context, params: {} } as never, async () => {
    response = await handler(args);
    return response;
  });
  return { response: response!, body: (await response!.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe("API plumbing (route modules on a real database)", () => {
  it("no or unknown token → 401 JSON with a stable code and the request id", async () => {
    const none = await call(meRoute.loader as RouteHandler, "/api/v1/me");
    expect(none.response.status).toBe(401);
    expect(none.response.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    expect(none.body).toEqual({ error: { code: "unauthorized", message: expect.any(String), requestId: "req-test-1" } });
    const bad = await call(meRoute.loader as RouteHandler, "/api/v1/me", { headers: { Authorization: "Bearer msr_aaaaaaaa_" + "x".repeat(43) } });
    expect(bad.response.status).toBe(401);
    expect(bad.body.error.code).toBe("unauthorized");
  });

  it("GET /me builds the same context as the UI; messages follow Accept-Language", async () => {
    const t = await makeOrg();
    const { secret } = await newToken(t, "staff");
    const me = await call(meRoute.loader as RouteHandler, "/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
    expect(me.response.status).toBe(200);
    expect(me.response.headers.get("Cache-Control")).toBe("no-store");
    expect(me.body).toMatchObject({ user: { id: t.staff.id }, organisation: { slug: t.org.slug }, unitId: t.units.b, roles: ["staff"] });
    const en = await call(meRoute.loader as RouteHandler, "/api/v1/me", { headers: { "Accept-Language": "en-GB,en;q=0.9" } });
    const ar = await call(meRoute.loader as RouteHandler, "/api/v1/me", { headers: { "Accept-Language": "ar" } });
    expect(en.body.error.message).toMatch(/access token/i);
    expect(ar.body.error.message).toMatch(/رمز/);
  });

  it("another organisation's slug → 404 not_found, audit-logged in the token's organisation", async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    // The user is even a member of B: the token still only opens A.
    await withPlatform(testDb(), (trx) => trx.insertInto("memberships").values({ org_id: b.org.id, user_id: a.admin.id }).execute());
    const { secret } = await newToken(a, "admin");
    const res = await call(orgRoute.loader as RouteHandler, `/api/v1/orgs/${b.org.slug}`, { headers: { Authorization: `Bearer ${secret}` }, params: { org: b.org.slug } });
    expect(res.response.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
    const unknown = await call(orgRoute.loader as RouteHandler, "/api/v1/orgs/no-such-org", { headers: { Authorization: `Bearer ${secret}` }, params: { org: "no-such-org" } });
    expect(unknown.response.status).toBe(404);
    expect(unknown.body).toEqual(res.body); // indistinguishable from a real but foreign organisation
    const denied = await auditRows(a.org.id, "access.denied");
    expect(denied.map((d) => d.subject_id)).toEqual([b.org.slug, "no-such-org"]);
    expect(denied[0]?.after).toMatchObject({ method: "GET", path: `/api/v1/orgs/${b.org.slug}` });
    expect(await auditRows(b.org.id, "access.denied")).toEqual([]);
    const own = await call(orgRoute.loader as RouteHandler, `/api/v1/orgs/${a.org.slug}`, { headers: { Authorization: `Bearer ${secret}` }, params: { org: a.org.slug } });
    expect(own.response.status).toBe(200);
    expect(own.body).toMatchObject({ id: a.org.id, slug: a.org.slug, timeZone: "Asia/Riyadh" });
  });

  it("POST units: validation_failed with field errors, forbidden for staff, 201 + audit for the admin, conflict on a duplicate", async () => {
    const t = await makeOrg();
    const admin = (await newToken(t, "admin")).secret;
    const staff = (await newToken(t, "staff")).secret;
    const post = (secret: string, body: unknown, contentType = "application/json") =>
      call(unitsRoute.action as RouteHandler, `/api/v1/orgs/${t.org.slug}/units`, {
        method: "POST",
        headers: { Authorization: `Bearer ${secret}`, "Content-Type": contentType, "Accept-Language": "en" },
        body: typeof body === "string" ? body : JSON.stringify(body),
        params: { org: t.org.slug },
      });
    const invalid = await post(admin, { code: "bad code!", nameAr: "", parentId: "nope" });
    expect(invalid.response.status).toBe(400);
    expect(invalid.body.error.code).toBe("validation_failed");
    expect(Object.keys(invalid.body.error.details.fields).sort()).toEqual(["code", "nameAr", "nameEn", "parentId"]);
    expect(invalid.body.error.details.fields).toMatchObject({
      code: expect.stringMatching(/letters, digits or hyphens/),
      nameAr: "This field is required.",
      nameEn: "This field is required.",
      parentId: expect.stringMatching(/UUID/),
    });
    const notJson = await post(admin, "code=X", "application/x-www-form-urlencoded");
    expect(notJson.response.status).toBe(400);
    expect(notJson.body.error.code).toBe("validation_failed");
    const broken = await post(admin, "{", "application/json");
    expect(broken.body.error.details.fields._body).toMatch(/not valid JSON/);
    const forbidden = await post(staff, { code: "C3", nameAr: "وحدة ج", nameEn: "Unit C" });
    expect(forbidden.response.status).toBe(403);
    expect(forbidden.body.error).toMatchObject({ code: "forbidden", details: { action: "create", subject: "OrgUnit" } });
    const created = await post(admin, { code: "C3", nameAr: "وحدة ج", nameEn: "Unit C", parentId: t.units.a });
    expect(created.response.status).toBe(201);
    expect(created.body).toMatchObject({ code: "C3", nameAr: "وحدة ج", nameEn: "Unit C", parentId: t.units.a });
    expect(created.response.headers.get("Location")).toBe(`/api/v1/orgs/${t.org.slug}/units/${created.body.id}`);
    const one = await call(unitRoute.loader as RouteHandler, created.response.headers.get("Location")!, {
      headers: { Authorization: `Bearer ${staff}` },
      params: { org: t.org.slug, unitId: created.body.id },
    });
    expect(one.response.status).toBe(200);
    expect(one.body).toEqual(created.body);
    const missing = await call(unitRoute.loader as RouteHandler, "/x", { headers: { Authorization: `Bearer ${staff}` }, params: { org: t.org.slug, unitId: "nope" } });
    expect(missing.response.status).toBe(404);
    const [entry] = await auditRows(t.org.id, "unit.create");
    expect(entry).toMatchObject({ actor_user_id: t.admin.id, subject_id: created.body.id, request_id: "req-test-1" });
    const duplicate = await post(admin, { code: "c3", nameAr: "مكرر", nameEn: "Duplicate" });
    expect(duplicate.response.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: "conflict", details: { fields: { code: expect.any(String) } } });
    const orphan = await post(admin, { code: "D4", nameAr: "د", nameEn: "D", parentId: "00000000-0000-4000-8000-000000000000" });
    expect(orphan.response.status).toBe(400);
    expect(orphan.body.error.details.fields.parentId).toBeTruthy();
  });

  it("a database failure inside a handler becomes 503 service_unavailable, anything else 500 internal — both JSON", async () => {
    const { apiRoute } = await import("~/utils/api.server");
    setLogLevel("silent"); // the two failures below are logged on purpose
    onTestFinished(() => setLogLevel("warn"));
    const down = apiRoute(() => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    });
    const res = await call(down as RouteHandler, "/api/v1/me");
    expect(res.response.status).toBe(503);
    expect(res.response.headers.get("Retry-After")).toBe("5");
    expect(res.body.error.code).toBe("service_unavailable");
    const boom = apiRoute(() => {
      throw new TypeError("oops");
    });
    const internal = await call(boom as RouteHandler, "/api/v1/me");
    expect(internal.response.status).toBe(500);
    expect(internal.body.error).toEqual({ code: "internal", message: expect.any(String), requestId: "req-test-1" });
  });
});
