import { describe, expect, it } from "vitest";
import { PARALLEL_GAP, type Bounds } from "~/engine/geometry";
import { routeLink } from "./link-edge";

// The canvas routes a flow orthogonally; two flows between the same shapes must not share it.

const box = (x: number, y: number): Bounds => ({ x, y, width: 100, height: 80 });

describe("routeLink on the canvas", () => {
  it("gives two parallel flows their own lines and labels a gap apart, sideways and up-down", () => {
    for (const [source, target] of [
      [box(400, 300), box(0, 0)], // the gate to the left of and below the step (social aid)
      [box(0, 0), box(20, 400)], // one under the other
    ] as const) {
      const a = routeLink(source, target, undefined, -PARALLEL_GAP / 2);
      const b = routeLink(source, target, undefined, PARALLEL_GAP / 2);
      expect(a.path).not.toBe(b.path);
      expect(Math.abs(a.label.x - b.label.x)).toBe(PARALLEL_GAP);
      expect(Math.abs(a.label.y - b.label.y)).toBe(PARALLEL_GAP);
      // Still leaving from the source's side, inside its extent.
      for (const r of [a, b]) {
        expect(r.start.x).toBeGreaterThanOrEqual(source.x);
        expect(r.start.x).toBeLessThanOrEqual(source.x + source.width);
        expect(r.start.y).toBeGreaterThanOrEqual(source.y);
        expect(r.start.y).toBeLessThanOrEqual(source.y + source.height);
      }
    }
  });

  it("routes a single flow as before (no offset: the smooth-step middle)", () => {
    const plain = routeLink(box(0, 0), box(400, 0));
    expect(plain.start).toEqual({ x: 100, y: 40 });
    expect(plain.label).toEqual({ x: 250, y: 40 });
  });
});
