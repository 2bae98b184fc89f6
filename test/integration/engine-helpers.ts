import crypto from "node:crypto";
import { inject } from "vitest";
import { loadMembership } from "~/models/memberships.server";
import type { CaseActor } from "~/models/case-access.server";
import { createDb, withPlatform, withTenant, type Db, type Tx } from "~/utils/db.server";
import { buildAbility, interpolateRules } from "~/utils/permissions.server";
import { testDb, type TestOrg } from "./helpers";

// Shared by the engine's integration tests: actors built the way requireOrgMember builds
// them, extra members, a dedicated pool for truly concurrent clients, and a start barrier.

/** The member as the service sees them: rules from their roles, unit from their membership. */
export async function actorFor(orgId: string, userId: string, db: Db = testDb()): Promise<CaseActor> {
  const found = await withTenant(db, { orgId, userId }, (trx) => loadMembership(trx, orgId, userId));
  if (!found) throw new Error(`${userId} is not a member of ${orgId}`);
  const rules = found.roles.flatMap((role) =>
    interpolateRules(role.rules as unknown[], { user: { id: userId, unitId: found.membership.unit_id, email: "" }, org: { id: orgId } }),
  );
  return { org: { id: orgId }, user: { id: userId }, unitId: found.membership.unit_id, ability: buildAbility(rules) };
}

/** `count` more members holding `roleKey` (in `unitId`), named in Arabic. No passwords: they never sign in. */
export async function addMembers(t: TestOrg, count: number, roleKey: string, unitId: string | null = null, db: Db = testDb()): Promise<{ id: string; name: string }[]> {
  const batch = crypto.randomUUID().slice(0, 8);
  return withPlatform(db, async (trx) => {
    const users = await trx
      .insertInto("users")
      .values(Array.from({ length: count }, (_, i) => ({ email: `${roleKey}-${batch}-${i}@${t.org.slug}.test`, name: `موظف ${i + 1} ${t.org.slug}`, password_hash: "-" })))
      .returning(["id", "name"])
      .execute();
    await trx.insertInto("memberships").values(users.map((u) => ({ org_id: t.org.id, user_id: u.id, unit_id: unitId }))).execute();
    await trx.insertInto("membership_roles").values(users.map((u) => ({ org_id: t.org.id, user_id: u.id, role_id: t.roles[roleKey]! }))).execute();
    return users;
  });
}

/** A separate pool: each concurrent client gets its own connection and transaction. */
export function dedicatedDb(max: number): Db {
  return createDb(inject("appUrl"), { max }).db;
}

/** Resolves for everyone once `n` callers are waiting: the clients then act at the same moment. */
export function barrier(n: number): () => Promise<void> {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    waiting += 1;
    if (waiting === n) release();
    return all;
  };
}

/** Runs fn in a tenant transaction as `userId` (what a route does around each service call). */
export function asMember<T>(db: Db, orgId: string, userId: string, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return withTenant(db, { orgId, userId }, fn);
}

export async function settle<T>(promises: Promise<T>[]): Promise<{ ok: T[]; errors: unknown[] }> {
  const results: PromiseSettledResult<T>[] = await Promise.allSettled(promises);
  const ok: T[] = [];
  const errors: unknown[] = [];
  for (const r of results) {
    if (r.status === "fulfilled") ok.push(r.value);
    else errors.push(r.reason);
  }
  return { ok, errors };
}
