// Pure helpers of the public portal (ADR 010): tracking codes people can read aloud and type
// on a phone, the normalisation of the contact they give, and the address key rate limits
// count by. No I/O; the server modules sign, hash and store.

/**
 * Posts to the portal larger than this are refused before anything reads them
 * (server/portal-body-limit.ts): a start form's answers are small, files are not accepted.
 */
export const PORTAL_MAX_BODY_BYTES = 64 * 1024;

/** No 0/O, 1/I/L: nothing a person can misread. 31 symbols, 10 of them ≈ 49.5 bits. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const CODE_LENGTH = 10;

/**
 * A code from random (or HMAC) bytes, without modulo bias: bytes ≥ 248 (= 31 × 8) are
 * skipped. Returns null when the bytes run out first (the caller supplies more).
 */
export function codeFromBytes(bytes: Uint8Array): string | null {
  const limit = CODE_ALPHABET.length * Math.floor(256 / CODE_ALPHABET.length);
  let code = "";
  for (const byte of bytes) {
    if (byte >= limit) continue;
    code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    if (code.length === CODE_LENGTH) return code;
  }
  return null;
}

/** "ABCDE-FGHJK": two groups are easier to read back. */
export function formatCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

const ARABIC_DIGITS: Record<string, string> = Object.fromEntries([
  ..."٠١٢٣٤٥٦٧٨٩".split("").map((d, i) => [d, String(i)]),
  ..."۰۱۲۳۴۵۶۷۸۹".split("").map((d, i) => [d, String(i)]),
]);

/** Arabic-Indic and Persian digits as Latin ones (people type either). */
export function latinDigits(value: string): string {
  return value.replace(/[٠-٩۰-۹]/g, (d) => ARABIC_DIGITS[d] ?? d);
}

/** A typed code as stored (upper case, no spaces or dashes), or null if it cannot be one. */
export function normaliseCode(input: string): string | null {
  const code = latinDigits(input).toUpperCase().replace(/[\s\-_.]/g, "");
  if (code.length !== CODE_LENGTH) return null;
  for (const c of code) if (!CODE_ALPHABET.includes(c)) return null;
  return code;
}

export type Contact = { kind: "phone" | "email"; value: string };

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,63}$/;

/**
 * The phone or email a requester gives, in the form that is hashed and compared later.
 * Emails: trimmed, lower case. Phones: digits only (Arabic digits accepted, spaces, dashes,
 * brackets, a leading + or 00 ignored), 7–15 digits; the last 9 digits are kept, so
 * "050 123 4567" and "+971 50 123 4567" are the same number (the national significant
 * number of Gulf mobiles is 9 digits).
 */
export function normaliseContact(input: string): Contact | null {
  const text = latinDigits(input).trim();
  if (!text || text.length > 254) return null;
  if (text.includes("@")) {
    const email = text.toLowerCase();
    return EMAIL.test(email) ? { kind: "email", value: email } : null;
  }
  const compact = text.replace(/[\s\-().]/g, "").replace(/^(\+|00)/, "");
  if (!/^\d{7,15}$/.test(compact)) return null;
  return { kind: "phone", value: compact.length > 9 ? compact.slice(-9) : compact };
}

/**
 * What one "address" is for rate limiting: an IPv4 address, or the /64 network of an IPv6
 * one (a single subscriber usually holds a whole /64, so counting single addresses would let
 * one person rotate through billions of them).
 */
export function addressKey(ip: string): string {
  const bare = ip.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");
  if (!bare.includes(":")) return bare || "unknown";
  const [head = "", tail = ""] = bare.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = bare.includes("::") ? 8 - left.length - right.length : 0;
  const groups = [...left, ...Array<string>(Math.max(0, missing)).fill("0"), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
