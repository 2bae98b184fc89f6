import { describe, expect, it } from "vitest";
import { isoDuration } from "~/engine/definition";
import { joinDuration, splitDuration } from "./duration";

describe("durations as days, hours and minutes", () => {
  it("splits what it can edit and refuses the rest", () => {
    expect(splitDuration("P2DT4H30M")).toEqual({ d: 2, h: 4, m: 30 });
    expect(splitDuration("PT48H")).toEqual({ d: 0, h: 48, m: 0 });
    expect(splitDuration("P1D")).toEqual({ d: 1, h: 0, m: 0 });
    expect(splitDuration(undefined)).toEqual({ d: 0, h: 0, m: 0 });
    expect(splitDuration("P1M")).toBeUndefined();
    expect(splitDuration("P1W")).toBeUndefined();
    expect(splitDuration("PT30S")).toBeUndefined();
    expect(splitDuration("PT")).toBeUndefined();
  });

  it("joins into durations the definition schema accepts, and round-trips", () => {
    for (const parts of [{ d: 2, h: 4, m: 30 }, { d: 0, h: 48, m: 0 }, { d: 3, h: 0, m: 0 }, { d: 0, h: 0, m: 5 }]) {
      const iso = joinDuration(parts)!;
      expect(isoDuration.safeParse(iso).success).toBe(true);
      expect(splitDuration(iso)).toEqual(parts);
    }
    expect(joinDuration({ d: 0, h: 0, m: 0 })).toBeUndefined();
  });
});
