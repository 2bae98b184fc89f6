import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { addressKey, CODE_ALPHABET, CODE_LENGTH, codeFromBytes, formatCode, normaliseCode, normaliseContact } from "./codes";
import { issueTicket, MIN_FILL_SECONDS, TICKET_MAX_AGE_SECONDS, trackingCodeFor, verifyTicket } from "./ticket.server";

describe("tracking codes", () => {
  it("use only unambiguous symbols, ten of them", () => {
    for (const c of "01OIL") expect(CODE_ALPHABET).not.toContain(c);
    for (let i = 0; i < 200; i++) {
      const code = codeFromBytes(crypto.randomBytes(32))!;
      expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`));
    }
  });

  it("skip bytes that would bias the symbols, and say when bytes run out", () => {
    expect(codeFromBytes(new Uint8Array([248, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))).toBe("23456789AB");
    expect(codeFromBytes(new Uint8Array(20).fill(250))).toBeNull();
  });

  it("are read back whatever the case, dashes, spaces or Arabic digits", () => {
    expect(formatCode("K7M2PQ9RTX")).toBe("K7M2P-Q9RTX");
    expect(normaliseCode(" k7m2p-q9rtx ")).toBe("K7M2PQ9RTX");
    expect(normaliseCode("K٧M٢P Q٩RTX")).toBe("K7M2PQ9RTX");
    expect(normaliseCode("K7M2P-Q9RT")).toBeNull(); // too short
    expect(normaliseCode("K7M2P-Q9RT0")).toBeNull(); // 0 is not a code symbol
  });
});

describe("contacts", () => {
  it("compare phone numbers by their last nine digits, typed in any common way", () => {
    const a = normaliseContact("050 123 4567");
    expect(a).toEqual({ kind: "phone", value: "501234567" });
    expect(normaliseContact("+971-50-123-4567")).toEqual(a);
    expect(normaliseContact("00971501234567")).toEqual(a);
    expect(normaliseContact("٠٥٠١٢٣٤٥٦٧")).toEqual(a);
    expect(normaliseContact("(050) 123.4567")).toEqual(a);
  });

  it("compare emails without case or surrounding spaces", () => {
    expect(normaliseContact("  Citizen@Example.COM ")).toEqual({ kind: "email", value: "citizen@example.com" });
  });

  it("refuse what is neither", () => {
    for (const bad of ["", "123", "abc", "a@b", "@example.com", "05x1234567", "1".repeat(16)]) expect(normaliseContact(bad)).toBeNull();
  });
});

describe("address keys", () => {
  it("count IPv4 addresses one by one and IPv6 by /64", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002:ffff:1:2:3")).toBe(addressKey("2001:db8:1:2::9"));
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("2001:db8:1:3::1")).not.toBe(addressKey("2001:db8:1:2::1"));
  });
});

describe("form tickets", () => {
  const secret = "s".repeat(64);
  const org = "0b8f7a7e-0000-4000-8000-000000000001";
  const issued = new Date("2026-11-23T08:00:00Z");
  const later = (seconds: number) => new Date(issued.getTime() + seconds * 1000);

  it("pass once the minimum fill time is over, until they expire", () => {
    const ticket = issueTicket(secret, org, "S-1", issued);
    expect(verifyTicket(secret, ticket, org, "S-1", later(1))).toEqual({ ok: false, reason: "too_fast" });
    expect(verifyTicket(secret, ticket, org, "S-1", later(MIN_FILL_SECONDS)).ok).toBe(true);
    expect(verifyTicket(secret, ticket, org, "S-1", later(TICKET_MAX_AGE_SECONDS + 1))).toEqual({ ok: false, reason: "expired" });
  });

  it("are refused for another organisation, another service, another secret, or once altered", () => {
    const ticket = issueTicket(secret, org, "S-1", issued);
    const at = later(10);
    expect(verifyTicket(secret, ticket, "0b8f7a7e-0000-4000-8000-000000000002", "S-1", at).ok).toBe(false);
    expect(verifyTicket(secret, ticket, org, "S-2", at).ok).toBe(false);
    expect(verifyTicket("t".repeat(64), ticket, org, "S-1", at).ok).toBe(false);
    const [time, nonce, sig] = ticket.split(".");
    // Claiming an earlier issue time (to skip the wait) breaks the signature.
    expect(verifyTicket(secret, `${Number(time) - 60}.${nonce}.${sig}`, org, "S-1", later(1))).toEqual({ ok: false, reason: "invalid" });
    expect(verifyTicket(secret, "garbage", org, "S-1", at)).toEqual({ ok: false, reason: "invalid" });
  });

  it("decide the tracking code: the same form gives the same code, another form another one", () => {
    const nonce = (t: string) => t.split(".")[1]!;
    const a = nonce(issueTicket(secret, org, "S-1", issued));
    const b = nonce(issueTicket(secret, org, "S-1", issued));
    expect(trackingCodeFor(secret, org, a)).toBe(trackingCodeFor(secret, org, a));
    expect(trackingCodeFor(secret, org, a)).not.toBe(trackingCodeFor(secret, org, b));
    expect(trackingCodeFor(secret, org, a)).toMatch(new RegExp(`^[${CODE_ALPHABET}]{10}$`));
  });
});
