import { describe, expect, it } from "vitest";
import { parseAuditFilters } from "./audit-filters";

const parse = (query: string) => parseAuditFilters(new URLSearchParams(query));

describe("parseAuditFilters", () => {
  it("applies valid filters, trimmed, and keeps what was typed", () => {
    const r = parse("actor=%20admin@%20&action=access.denied&subject=Role&from=2026-03-01&to=2026-03-31&page=2");
    expect(r.valid).toEqual({ actor: "admin@", action: "access.denied", subject: "Role", from: "2026-03-01", to: "2026-03-31" });
    expect(r.values.actor).toBe(" admin@ ");
    expect(r.errors).toEqual({});
  });

  it("ignores empty fields", () => {
    expect(parse("actor=&from=&to=%20")).toEqual({ values: { actor: "", action: "", subject: "", from: "", to: " " }, valid: {}, errors: {} });
  });

  it.each(["2026-13-01", "2026-02-30", "0000-01-01", "26-03-01", "2026-3-1", "yesterday", "2026-03-01T00:00"])("rejects the date %s without applying it", (day) => {
    const r = parse(`from=${encodeURIComponent(day)}&actor=x`);
    expect(r.errors).toEqual({ from: "invalidDate" });
    expect(r.valid).toEqual({ actor: "x" });
    expect(r.values.from).toBe(day);
  });

  it("reports an end before the start on the end field and applies only the start", () => {
    const r = parse("from=2026-03-10&to=2026-03-09");
    expect(r.errors).toEqual({ to: "rangeOrder" });
    expect(r.valid).toEqual({ from: "2026-03-10" });
    expect(parse("from=2026-03-10&to=2026-03-10").errors).toEqual({});
  });

  it("rejects over-long text", () => {
    expect(parse(`actor=${"a".repeat(255)}`).errors).toEqual({ actor: "tooLong" });
  });
});
