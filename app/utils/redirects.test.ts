import { describe, expect, it } from "vitest";
import { safeNext } from "./redirects";

describe("safeNext", () => {
  it("follows same-site paths", () => {
    expect(safeNext("/app/x/inbox")).toBe("/app/x/inbox");
  });
  it("refuses other sites and protocol-relative tricks", () => {
    expect(safeNext("https://evil.example/")).toBe("/");
    expect(safeNext("//evil.example/")).toBe("/");
    expect(safeNext("/\\evil.example")).toBe("/");
  });
  it("falls back to the first organisation's inbox", () => {
    expect(safeNext(null, "social-services")).toBe("/app/social-services/inbox");
  });
});
