import crypto from "node:crypto";
import { codeFromBytes } from "./codes";

// The request form's ticket (ADR 010): issued when the form is shown, signed with the server
// secret (portal_secret), so the server knows how long the form was open — bots post within
// a second — and that the form came from this portal, this organisation and this service.
// Its nonce also decides the tracking code (HMAC of the nonce): posting the same form twice
// (a double click, a refresh) yields the same code and never a second case.

export const MIN_FILL_SECONDS = 3;
export const TICKET_MAX_AGE_SECONDS = 24 * 3600;

function mac(secret: string, text: string): Buffer {
  return crypto.createHmac("sha256", secret).update(text).digest();
}

function signature(secret: string, orgId: string, serviceCode: string, issuedAt: number, nonce: string): string {
  return mac(secret, `ticket|${orgId}|${serviceCode}|${issuedAt}|${nonce}`).toString("base64url");
}

export function issueTicket(secret: string, orgId: string, serviceCode: string, now = new Date()): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const nonce = crypto.randomBytes(16).toString("base64url");
  return `${issuedAt}.${nonce}.${signature(secret, orgId, serviceCode, issuedAt, nonce)}`;
}

export type TicketCheck = { ok: true; nonce: string } | { ok: false; reason: "invalid" | "too_fast" | "expired" };

export function verifyTicket(secret: string, ticket: string, orgId: string, serviceCode: string, now = new Date()): TicketCheck {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(ticket);
  if (!match) return { ok: false, reason: "invalid" };
  const issuedAt = Number(match[1]);
  const nonce = match[2]!;
  const expected = Buffer.from(signature(secret, orgId, serviceCode, issuedAt, nonce));
  const given = Buffer.from(match[3]!);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { ok: false, reason: "invalid" };
  const age = now.getTime() / 1000 - issuedAt;
  if (age < MIN_FILL_SECONDS) return { ok: false, reason: "too_fast" };
  if (age > TICKET_MAX_AGE_SECONDS) return { ok: false, reason: "expired" };
  return { ok: true, nonce };
}

/** The tracking code of the request sent with this ticket nonce (deterministic, secret-keyed). */
export function trackingCodeFor(secret: string, orgId: string, nonce: string): string {
  for (let round = 0; ; round++) {
    const code = codeFromBytes(mac(secret, `code|${orgId}|${nonce}|${round}`));
    if (code) return code;
  }
}

/** How a code is looked up: its SHA-256 (the code itself is never stored). */
export function codeHash(orgId: string, code: string): string {
  return crypto.createHash("sha256").update(`${orgId}|${code}`).digest("hex");
}

/** Addresses are counted, not kept: a keyed hash of the address (or /64) per bucket. */
export function addressHash(secret: string, address: string): string {
  return mac(secret, `address|${address}`).toString("base64url").slice(0, 32);
}
