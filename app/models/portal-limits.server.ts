import { sql } from "kysely";
import { withTenant, type Db } from "~/utils/db.server";

// Rate limits of the public portal (ADR 010): fixed windows counted in portal_rate_buckets,
// so every app process shares them. Each hit commits in its own short transaction — a
// refused or failing request still counts — and windows are aligned on the database clock.

export interface Limit {
  /** Requests allowed in one window. */
  max: number;
  windowSeconds: number;
}

export interface PortalLimits {
  submitPerAddress: Limit;
  submitPerOrg: Limit;
  /** Tracking lookups and ratings (each needs the code and the contact). */
  trackPerAddress: Limit;
  trackPerOrg: Limit;
}

/**
 * Generous for a person (a family behind one address sends a few requests an hour), tight for
 * a script: 20 requests and 30 lookups per address, far more per organisation so one abuser
 * cannot shut the portal for everyone too soon.
 */
export const PORTAL_LIMITS: PortalLimits = {
  submitPerAddress: { max: 20, windowSeconds: 3600 },
  submitPerOrg: { max: 1000, windowSeconds: 3600 },
  trackPerAddress: { max: 30, windowSeconds: 900 },
  trackPerOrg: { max: 5000, windowSeconds: 900 },
};

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Counts one hit in a bucket; refused once the window's count passes the limit. */
export async function hitBucket(db: Db, orgId: string, bucket: string, limit: Limit): Promise<LimitResult> {
  return withTenant(db, { orgId }, async (trx) => {
    const w = limit.windowSeconds;
    const row = await sql<{ hits: number; retry: number }>`
      INSERT INTO portal_rate_buckets AS b (org_id, bucket, window_start, hits)
      VALUES (${orgId}, ${bucket}, to_timestamp(floor(extract(epoch FROM now()) / ${w}) * ${w}), 1)
      ON CONFLICT (org_id, bucket, window_start) DO UPDATE SET hits = b.hits + 1
      RETURNING hits, ceil(extract(epoch FROM (window_start + make_interval(secs => ${w}) - now())))::int AS retry`.execute(trx);
    // Old windows are noise: an occasional hit sweeps the organisation's expired ones.
    if (Math.random() < 0.02) {
      await sql`DELETE FROM portal_rate_buckets WHERE org_id = ${orgId} AND window_start < now() - interval '1 day'`.execute(trx);
    }
    const { hits, retry } = row.rows[0]!;
    return hits <= limit.max ? { ok: true } : { ok: false, retryAfterSeconds: Math.max(1, retry) };
  });
}

/** The address bucket first: an address already over its limit does not use up the organisation's. */
export async function hitLimits(db: Db, orgId: string, kind: "submit" | "track", addressHash: string, limits: PortalLimits): Promise<LimitResult> {
  const perAddress = kind === "submit" ? limits.submitPerAddress : limits.trackPerAddress;
  const perOrg = kind === "submit" ? limits.submitPerOrg : limits.trackPerOrg;
  const address = await hitBucket(db, orgId, `${kind}:address:${addressHash}`, perAddress);
  if (!address.ok) return address;
  return hitBucket(db, orgId, `${kind}:org`, perOrg);
}
