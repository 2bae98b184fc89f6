import crypto from "node:crypto";
import { sql } from "kysely";
import { recordAudit } from "./audit.server";
import { randomToken, sha256 } from "~/utils/crypto.server";
import type { AuditActor } from "~/utils/audit-actor.server";
import type { Tx } from "~/utils/db.server";
import { asSubject, type AppAbility } from "~/utils/permissions.server";

// Personal access tokens: `msr_<prefix>_<secret>`. The prefix (8 lowercase characters) is
// stored in clear so people can tell their tokens apart; of the whole token only a SHA-256
// is kept, so a database dump yields no usable credential. The secret is shown once.
const TOKEN_PATTERN = /^msr_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;
const PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
export const MAX_EXPIRY_DAYS = 3650;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The columns shown to people: everything but the hash. */
const PUBLIC_COLUMNS = ["id", "user_id", "org_id", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"] as const;

export type TokenStatus = "active" | "revoked" | "expired";

export function tokenStatus(row: { revoked_at: Date | null; expires_at: Date | null }, now = new Date()): TokenStatus {
  if (row.revoked_at) return "revoked";
  if (row.expires_at && row.expires_at.getTime() <= now.getTime()) return "expired";
  return "active";
}

export function looksLikeToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

function newPrefix(): string {
  const bytes = crypto.randomBytes(8);
  return Array.from(bytes, (b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join("");
}

/**
 * Creates a token for the acting member in the actor's organisation (the caller runs
 * withTenant). Returns the secret once; the audit entry records name, prefix and expiry only.
 */
export async function createToken(trx: Tx, actor: AuditActor, input: { name: string; expiresInDays: number | null }) {
  if (input.expiresInDays !== null && !(Number.isInteger(input.expiresInDays) && input.expiresInDays >= 1 && input.expiresInDays <= MAX_EXPIRY_DAYS)) {
    throw new RangeError(`expiresInDays must be an integer between 1 and ${MAX_EXPIRY_DAYS}`);
  }
  const prefix = newPrefix();
  const secret = `msr_${prefix}_${randomToken(32)}`;
  const token = await trx
    .insertInto("api_tokens")
    .values({
      org_id: actor.orgId,
      user_id: actor.actorUserId,
      name: input.name,
      prefix,
      token_hash: sha256(secret),
      expires_at: input.expiresInDays === null ? null : sql<Date>`now() + make_interval(days => ${input.expiresInDays})`,
    })
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    ...actor,
    action: "token.create",
    subjectType: "ApiToken",
    subjectId: token.id,
    after: { name: token.name, prefix: token.prefix, userId: token.user_id, expiresAt: token.expires_at },
  });
  return { token, secret };
}

/** The member's own tokens in this organisation, newest first. */
export function listTokens(trx: Tx, orgId: string, userId: string) {
  return trx
    .selectFrom("api_tokens")
    .select(PUBLIC_COLUMNS)
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .limit(200)
    .execute();
}

export type RevokeResult = { ok: true; name: string } | { ok: false; reason: "not_found" | "forbidden" };

/**
 * Revokes a token of this organisation. Anyone may revoke their own token (revoking only
 * ever removes access); another member's token needs `manage ApiToken` on it.
 * A token that is already revoked stays as it was (the first revocation time is kept).
 */
export async function revokeToken(trx: Tx, actor: AuditActor, input: { tokenId: string; ability: AppAbility }): Promise<RevokeResult> {
  if (!UUID.test(input.tokenId)) return { ok: false, reason: "not_found" };
  const row = await trx
    .selectFrom("api_tokens")
    .select(PUBLIC_COLUMNS)
    .where("org_id", "=", actor.orgId)
    .where("id", "=", input.tokenId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return { ok: false, reason: "not_found" };
  const own = row.user_id === actor.actorUserId;
  if (!own && !input.ability.can("manage", asSubject("ApiToken", { userId: row.user_id, id: row.id }))) {
    return { ok: false, reason: "forbidden" };
  }
  if (row.revoked_at) return { ok: true, name: row.name };
  const after = await trx
    .updateTable("api_tokens")
    .set({ revoked_at: sql<Date>`now()` })
    .where("org_id", "=", actor.orgId)
    .where("id", "=", row.id)
    .returning(["revoked_at"])
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    ...actor,
    action: "token.revoke",
    subjectType: "ApiToken",
    subjectId: row.id,
    before: { name: row.name, prefix: row.prefix, userId: row.user_id, revokedAt: null },
    after: { name: row.name, prefix: row.prefix, userId: row.user_id, revokedAt: after.revoked_at },
  });
  return { ok: true, name: row.name };
}

export interface TokenPrincipal {
  token: { id: string; name: string; prefix: string; expires_at: Date | null; last_used_at: Date | null };
  user: { id: string; email: string; name: string; locale: "ar" | "en" | null; is_platform_admin: boolean };
  org: { id: string; slug: string };
}

/**
 * Resolves a bearer token to its user and organisation, or null. Runs before the tenant is
 * known, hence the platform scope (RLS on api_tokens and memberships). A revoked or expired
 * token, a disabled user, a disabled membership or a disabled organisation all fail alike.
 */
export async function authenticate(trx: Tx, secret: string): Promise<TokenPrincipal | null> {
  if (!looksLikeToken(secret)) return null;
  const row = await trx
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .innerJoin("memberships as m", (j) => j.onRef("m.org_id", "=", "t.org_id").onRef("m.user_id", "=", "t.user_id"))
    .innerJoin("organisations as o", "o.id", "t.org_id")
    .select([
      "t.id",
      "t.name",
      "t.prefix",
      "t.expires_at",
      "t.last_used_at",
      "u.id as user_id",
      "u.email",
      "u.name as user_name",
      "u.locale",
      "u.is_platform_admin",
      "o.id as org_id",
      "o.slug",
    ])
    .where("t.token_hash", "=", sha256(secret))
    .where("t.revoked_at", "is", null)
    .where((eb) => eb.or([eb("t.expires_at", "is", null), eb("t.expires_at", ">", sql<Date>`now()`)]))
    .where("u.disabled_at", "is", null)
    .where("m.disabled_at", "is", null)
    .where("o.disabled_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  // At most one write a minute per token, decided in SQL so concurrent requests and
  // several app processes agree without coordination.
  await trx
    .updateTable("api_tokens")
    .set({ last_used_at: sql<Date>`now()` })
    .where("id", "=", row.id)
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", sql<Date>`now() - interval '1 minute'`)]))
    .execute();
  return {
    token: { id: row.id, name: row.name, prefix: row.prefix, expires_at: row.expires_at, last_used_at: row.last_used_at },
    user: { id: row.user_id, email: row.email, name: row.user_name, locale: row.locale, is_platform_admin: row.is_platform_admin },
    org: { id: row.org_id, slug: row.slug },
  };
}
