import { sql } from "kysely";
import { recordAudit } from "./audit.server";
import { insertOrganisation, RESERVED_SLUGS, type NewOrgInput } from "./organisations.server";
import { assignRoles } from "./roles.server";
import { createUser, findUserByEmail } from "./users.server";
import type { Tx } from "~/utils/db.server";
import { likePattern } from "~/utils/paging";

// Platform administration: organisations across tenants. Every function here runs inside
// withPlatform (the only scope in which RLS lets one transaction touch several tenants).

/** The platform admin acting, for audit entries in the platform chain and the org's chain. */
export interface PlatformActor {
  userId: string;
  email: string;
  requestId: string;
  ip: string;
}

export async function listOrganisations(trx: Tx, options: { q: string; limit: number; offset: number }) {
  let query = trx.selectFrom("organisations as o");
  if (options.q) {
    const pattern = likePattern(options.q);
    query = query.where((eb) => eb.or([eb("o.slug", "ilike", pattern), eb("o.name_ar", "ilike", pattern), eb("o.name_en", "ilike", pattern)]));
  }
  const [rows, total] = await Promise.all([
    query
      .select((eb) => [
        "o.id",
        "o.slug",
        "o.name_ar",
        "o.name_en",
        "o.created_at",
        "o.disabled_at",
        eb
          .selectFrom("memberships as m")
          .select(sql<number>`count(*)::int`.as("n"))
          .whereRef("m.org_id", "=", "o.id")
          .where("m.disabled_at", "is", null)
          .as("members"),
      ])
      .orderBy("o.created_at", "desc")
      .orderBy("o.slug")
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    query.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, members: r.members ?? 0 })), total: total.n };
}

export interface NewOrgWithAdmin extends Required<NewOrgInput> {
  /** Name and password are needed only when the email has no account yet. */
  admin: { email: string; name: string | null; password: string | null };
}

export type CreateOrgResult =
  | { ok: true; orgId: string; slug: string; adminUserId: string; createdAccount: boolean }
  | { ok: false; reason: "slug_reserved" | "slug_taken" | "admin_name_required" | "admin_password_required" };

/**
 * Creates an organisation with its built-in roles and makes its first admin: a new account,
 * or an existing one (whose password is left alone: they already sign in with it). The
 * creation is audit-logged both in the platform chain and as the first entries of the new
 * organisation's own chain.
 */
export async function createOrganisationWithAdmin(trx: Tx, actor: PlatformActor, input: NewOrgWithAdmin): Promise<CreateOrgResult> {
  if (RESERVED_SLUGS.has(input.slug)) return { ok: false, reason: "slug_reserved" };
  // A concurrent creation of the same slug is caught by the unique index (see the route).
  const clash = await trx.selectFrom("organisations").select("id").where("slug", "=", input.slug).executeTakeFirst();
  if (clash) return { ok: false, reason: "slug_taken" };

  const { admin, ...orgInput } = input;
  const existing = await findUserByEmail(trx, admin.email);
  if (!existing && !admin.name) return { ok: false, reason: "admin_name_required" };
  if (!existing && !admin.password) return { ok: false, reason: "admin_password_required" };

  const { org, roles } = await insertOrganisation(trx, orgInput);
  const user = existing ?? (await createUser(trx, { email: admin.email, name: admin.name!, password: admin.password! }));
  await trx.insertInto("memberships").values({ org_id: org.id, user_id: user.id }).execute();
  await assignRoles(trx, org.id, user.id, [roles.admin!]);

  const orgAfter = {
    slug: org.slug,
    name_ar: org.name_ar,
    name_en: org.name_en,
    initials: org.initials,
    default_locale: org.default_locale,
    digits: org.digits,
    calendar: org.calendar,
    time_zone: org.time_zone,
  };
  const who = { actorUserId: actor.userId, actorLabel: actor.email, requestId: actor.requestId, ip: actor.ip };
  // The member entry has the shape members.server.ts writes for member.add.
  const memberAfter = { email: user.email, createdAccount: !existing, unitId: null, title: null, roles: [{ id: roles.admin!, key: "admin" }], disabled: false };
  await recordAudit(trx, {
    ...who,
    orgId: null,
    action: "organisation.create",
    subjectType: "Organisation",
    subjectId: org.id,
    after: { ...orgAfter, admin: { userId: user.id, email: user.email, createdAccount: !existing } },
  });
  await recordAudit(trx, { ...who, orgId: org.id, action: "organisation.create", subjectType: "Organisation", subjectId: org.id, after: orgAfter });
  await recordAudit(trx, { ...who, orgId: org.id, action: "member.add", subjectType: "Member", subjectId: user.id, after: memberAfter });
  return { ok: true, orgId: org.id, slug: org.slug, adminUserId: user.id, createdAccount: !existing };
}

/** Disables (members get 404, as for any unknown organisation) or re-enables one. */
export async function setOrganisationDisabled(trx: Tx, actor: PlatformActor, orgId: string, disabled: boolean): Promise<{ found: boolean; changed: boolean }> {
  const before = await trx.selectFrom("organisations").select(["id", "slug", "disabled_at"]).where("id", "=", orgId).forUpdate().executeTakeFirst();
  if (!before) return { found: false, changed: false };
  if (Boolean(before.disabled_at) === disabled) return { found: true, changed: false };
  const after = await trx
    .updateTable("organisations")
    .set({ disabled_at: disabled ? sql<Date>`now()` : null })
    .where("id", "=", orgId)
    .returning(["disabled_at"])
    .executeTakeFirstOrThrow();
  const entry = {
    actorUserId: actor.userId,
    actorLabel: actor.email,
    requestId: actor.requestId,
    ip: actor.ip,
    action: disabled ? "organisation.disable" : "organisation.enable",
    subjectType: "Organisation",
    subjectId: orgId,
    before: { slug: before.slug, disabled_at: before.disabled_at },
    after: { slug: before.slug, disabled_at: after.disabled_at },
  };
  await recordAudit(trx, { ...entry, orgId: null });
  await recordAudit(trx, { ...entry, orgId });
  return { found: true, changed: true };
}

/** An organisation and the emails of its admins: the confirmation after creating it. */
export async function organisationSummary(trx: Tx, slug: string) {
  const org = await trx.selectFrom("organisations").select(["id", "slug", "name_ar", "name_en"]).where("slug", "=", slug).executeTakeFirst();
  if (!org) return undefined;
  const admins = await trx
    .selectFrom("membership_roles as mr")
    .innerJoin("roles as r", (j) => j.onRef("r.org_id", "=", "mr.org_id").onRef("r.id", "=", "mr.role_id"))
    .innerJoin("users as u", "u.id", "mr.user_id")
    .select("u.email")
    .where("mr.org_id", "=", org.id)
    .where("r.key", "=", "admin")
    .orderBy("u.email")
    .execute();
  return { ...org, adminEmails: admins.map((a) => a.email) };
}
