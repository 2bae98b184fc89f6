import type { Request, Response } from "express";
import { describe, expect, it, vi } from "vitest";
import { PORTAL_MAX_BODY_BYTES } from "~/portal/codes";
import { portalBodyLimit } from "./portal-body-limit";

// Posts to the public portal larger than its forms need, or of unknown length, never reach
// the CSRF check or a route (which would read them into memory).

function run(method: string, length: string | undefined) {
  const req = { method, get: (name: string) => (name.toLowerCase() === "content-length" ? length : undefined) } as unknown as Request;
  const res = { status: vi.fn(), set: vi.fn(), type: vi.fn(), send: vi.fn() };
  res.status.mockReturnValue(res);
  res.set.mockReturnValue(res);
  res.type.mockReturnValue(res);
  const next = vi.fn();
  portalBodyLimit(req, res as unknown as Response, next);
  return { status: res.status.mock.calls[0]?.[0] as number | undefined, passed: next.mock.calls.length === 1 };
}

describe("the portal's body limit", () => {
  it("lets reads and small posts through", () => {
    expect(run("GET", undefined)).toEqual({ status: undefined, passed: true });
    expect(run("POST", "512")).toEqual({ status: undefined, passed: true });
    expect(run("POST", String(PORTAL_MAX_BODY_BYTES))).toEqual({ status: undefined, passed: true });
  });

  it("refuses larger posts and posts without a declared length with 413", () => {
    expect(run("POST", String(PORTAL_MAX_BODY_BYTES + 1))).toEqual({ status: 413, passed: false });
    expect(run("POST", undefined)).toEqual({ status: 413, passed: false });
    expect(run("PUT", "garbage")).toEqual({ status: 413, passed: false });
  });
});
