import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/models/audit.server";
import { findOrgBySlug } from "~/models/organisations.server";
import { createOrganisationWithAdmin, listOrganisations, organisationSummary, setOrganisationDisabled, type NewOrgWithAdmin, type PlatformActor } from "~/models/platform.server";
import { createUser, findUserByEmail, verifyPassword } from "~/models/users.server";
import { withPlatform } from "~/utils/db.server";
import { testDb, uniqueSlug } from "./helpers";

// Platform administration against the real database and RLS (application role).

const actor: PlatformActor = { userId: crypto.randomUUID(), email: "platform@test.example", requestId: "req-platform", ip: "127.0.0.1" };

function input(overrides: Partial<NewOrgWithAdmin> = {}): NewOrgWithAdmin {
  const slug = uniqueSlug("plat");
  return {
    slug,
    name_ar: `جهة ${slug}`,
    name_en: `Org ${slug}`,
    initials: "ج م",
    default_locale: "ar",
    digits: "latn",
    calendar: "islamic-umalqura",
    time_zone: "Asia/Dubai",
    admin: { email: `first-${slug}@test.example`, name: "المسؤول الأول", password: "Initial-Pass-1" },
    ...overrides,
  };
}

const create = (value: NewOrgWithAdmin) => withPlatform(testDb(), (trx) => createOrganisationWithAdmin(trx, actor, value));

async function auditOf(orgId: string | null) {
  return withPlatform(testDb(), (trx) =>
    trx
      .selectFrom("audit_log")
      .select(["action", "subject_id", "actor_user_id", "after", "request_id"])
      .where((eb) => (orgId ? eb("org_id", "=", orgId) : eb("org_id", "is", null)))
      .orderBy("seq")
      .execute(),
  );
}

describe("platform: organisations", () => {
  it("creates the organisation with its settings, roles and a new admin account, audited in both chains", async () => {
    const value = input();
    const result = await create(value);
    expect(result).toMatchObject({ ok: true, slug: value.slug, createdAccount: true });
    if (!result.ok) return;

    const org = await findOrgBySlug(testDb(), value.slug);
    expect(org).toMatchObject({ digits: "latn", calendar: "islamic-umalqura", time_zone: "Asia/Dubai", initials: "ج م" });
    const user = await findUserByEmail(testDb(), value.admin.email);
    expect(await verifyPassword(user!.password_hash, "Initial-Pass-1")).toBe(true);
    const summary = await withPlatform(testDb(), (trx) => organisationSummary(trx, value.slug));
    expect(summary?.adminEmails).toEqual([value.admin.email]);

    const own = await auditOf(result.orgId);
    expect(own.map((e) => e.action)).toEqual(["organisation.create", "member.add"]);
    expect(own.every((e) => e.actor_user_id === actor.userId && e.request_id === actor.requestId)).toBe(true);
    const platform = await auditOf(null);
    expect(platform.some((e) => e.action === "organisation.create" && e.subject_id === result.orgId)).toBe(true);
    await withPlatform(testDb(), async (trx) => {
      expect(await verifyAuditChain(trx, result.orgId)).toBeNull();
      expect(await verifyAuditChain(trx, null)).toBeNull();
    });
  });

  it("makes an existing account the admin without touching its password or name", async () => {
    const existing = await withPlatform(testDb(), (trx) => createUser(trx, { email: `known-${uniqueSlug()}@test.example`, name: "اسم قديم", password: "Own-Password-1" }));
    const result = await create(input({ admin: { email: existing.email.toUpperCase(), name: "اسم جديد", password: "Other-Password-2" } }));
    expect(result).toMatchObject({ ok: true, adminUserId: existing.id, createdAccount: false });
    const after = await findUserByEmail(testDb(), existing.email);
    expect(after!.password_hash).toBe(existing.password_hash);
    expect(after!.name).toBe("اسم قديم");
  });

  it("refuses reserved and taken slugs, and a new account without name or password, writing nothing", async () => {
    const first = input();
    expect((await create(first)).ok).toBe(true);
    expect(await create(input({ slug: "platform" }))).toEqual({ ok: false, reason: "slug_reserved" });
    expect(await create(input({ slug: first.slug }))).toEqual({ ok: false, reason: "slug_taken" });
    const nameless = input({ admin: { email: `x-${uniqueSlug()}@test.example`, name: null, password: "Initial-Pass-1" } });
    expect(await create(nameless)).toEqual({ ok: false, reason: "admin_name_required" });
    const passwordless = input({ admin: { email: `y-${uniqueSlug()}@test.example`, name: "س", password: null } });
    expect(await create(passwordless)).toEqual({ ok: false, reason: "admin_password_required" });
    expect(await findOrgBySlug(testDb(), nameless.slug)).toBeUndefined();
    expect(await findUserByEmail(testDb(), passwordless.admin.email)).toBeUndefined();
  });

  it("disables and re-enables an organisation, audited, and finds it by search", async () => {
    const value = input();
    const result = await create(value);
    if (!result.ok) throw new Error("not created");
    const toggle = (disabled: boolean) => withPlatform(testDb(), (trx) => setOrganisationDisabled(trx, actor, result.orgId, disabled));

    expect(await toggle(true)).toEqual({ found: true, changed: true });
    expect(await findOrgBySlug(testDb(), value.slug)).toBeUndefined(); // members now get 404
    expect(await toggle(true)).toEqual({ found: true, changed: false });
    expect(await toggle(false)).toEqual({ found: true, changed: true });
    expect(await findOrgBySlug(testDb(), value.slug)).toBeDefined();
    expect(await withPlatform(testDb(), (trx) => setOrganisationDisabled(trx, actor, crypto.randomUUID(), true))).toEqual({ found: false, changed: false });

    const own = (await auditOf(result.orgId)).map((e) => e.action);
    expect(own).toEqual(["organisation.create", "member.add", "organisation.disable", "organisation.enable"]);

    const found = await withPlatform(testDb(), (trx) => listOrganisations(trx, { q: value.slug, limit: 10, offset: 0 }));
    expect(found.total).toBe(1);
    expect(found.rows[0]).toMatchObject({ slug: value.slug, members: 1, disabled_at: null });
    const literal = await withPlatform(testDb(), (trx) => listOrganisations(trx, { q: "%", limit: 10, offset: 0 }));
    expect(literal.total).toBe(0); // % is matched literally, not as a wildcard
  });
});
