import { describe, expect, it } from "vitest";
import { presetCalendar } from "./calendar-presets";
import { runtime, waitingEffect } from "./runtime";
import { E, graph, S, testContext, TIMER } from "./testing";

// The runtime schedules timers in the calendar its context carries (the service passes the
// organisation's); without one it keeps elapsed time.

const flow = graph([S(), TIMER("wait", "PT3H"), E()], [["start", "wait"], ["wait", "end"]]);
const thursday1pm = new Date("2026-03-05T13:00:00+03:00");

describe("timers in business time", () => {
  it("a timer started on Thursday afternoon in Riyadh fires on Sunday morning", () => {
    const ctx = { ...testContext(thursday1pm), calendar: presetCalendar("sa", "Asia/Riyadh") };
    const { effects } = runtime.start(flow, {}, ctx);
    expect(effects.find((e) => e.type === "timer.schedule")).toMatchObject({ nodeId: "wait", dueAt: new Date("2026-03-08T09:00:00+03:00").toISOString() });
  });

  it("without a calendar the same timer waits three elapsed hours", () => {
    const { effects } = runtime.start(flow, {}, testContext(thursday1pm));
    expect(effects.find((e) => e.type === "timer.schedule")).toMatchObject({ dueAt: new Date("2026-03-05T16:00:00+03:00").toISOString() });
  });

  it("waitingEffect (used by migrations) takes the calendar too", () => {
    // 14:00 in Dubai on Thursday: 1.5 h before Sharjah closes, the rest on Monday (Friday–Sunday off).
    const node = flow.nodes.find((n) => n.id === "wait")!;
    if (node.kind !== "timer") throw new Error("fixture");
    expect(waitingEffect(node, "t1", thursday1pm, presetCalendar("ae-sharjah", "Asia/Dubai"))).toMatchObject({ dueAt: new Date("2026-03-09T09:00:00+04:00").toISOString() });
  });
});
