import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addWorkingTime, workingTimeBetween } from "./calendar";
import { presetCalendar } from "./calendar-presets";
import {
  activeTimeAt,
  defaultLadder,
  evaluateClock,
  instantAtActive,
  milestonesOf,
  raisedPriority,
  validateTerms,
  type ClockTimeline,
  type SlaTerms,
} from "./sla";

// Qatar's week (Sunday–Thursday 07:00–14:00, Friday–Saturday off) in Doha: 7 working hours a day.
const cal = presetCalendar("qa", "Asia/Qatar");
const H = 3_600_000;
const MIN = 60_000;
/** Doha is UTC+3 all year. */
const doha = (iso: string) => new Date(`${iso}+03:00`);

const terms = (over: Partial<SlaTerms> = {}): SlaTerms => ({
  responseMinutes: null,
  resolutionMinutes: 48 * 60,
  warnPercents: [50, 75],
  levels: [
    { afterMinutes: 0, assignee: { type: "role", roleKey: "manager" }, actions: ["notify"] },
    { afterMinutes: 4 * 60, assignee: { type: "role", roleKey: "admin" }, actions: ["notify", "raise_priority"] },
  ],
  ...over,
});

const clock = (startedAt: Date, over: Partial<ClockTimeline> = {}): ClockTimeline => ({ startedAt, pauses: [], respondedAt: null, stoppedAt: null, ...over });

describe("SLA milestones", () => {
  it("orders warnings, breach and levels by when they fall due", () => {
    expect(milestonesOf(terms({ responseMinutes: 4 * 60 })).map((m) => m.key)).toEqual([
      "warning:response:50",
      "warning:response:75",
      "breach:response:0",
      "warning:resolution:50",
      "warning:resolution:75",
      "breach:resolution:0",
      "escalation:resolution:1",
      "escalation:resolution:2",
    ]);
  });

  it("anchors the ladder on the response target when there is no resolution target", () => {
    const keys = milestonesOf(terms({ responseMinutes: 60, resolutionMinutes: null })).map((m) => m.key);
    expect(keys.slice(-2)).toEqual(["escalation:response:1", "escalation:response:2"]);
  });
});

describe("a 48-working-hour target on a Friday–Saturday calendar", () => {
  // Sunday 2 March 2025, 09:00 in Doha. 48 working hours = 6 days × 7 h + 6 h → the 7th working day.
  const start = doha("2025-03-02T09:00:00");

  it("is due after 48 working hours, skipping the weekend", () => {
    const view = evaluateClock(terms(), clock(start), cal, start);
    // Sun 5h + Mon–Thu 4×7h = 33 h by Thu 14:00; the weekend does not count; Sun 7 h = 40 h; Mon 07:00 + 8 h → Tue 08:00.
    expect(view.resolutionDueAt).toEqual(doha("2025-03-11T08:00:00"));
    expect(view.resolutionRiskAt).toEqual(addWorkingTime(start, 24 * H, cal));
    expect(view.status).toBe("on_time");
    expect(view.nextDueAt).toEqual(view.resolutionRiskAt);
  });

  it("fires level 1 at the breach and level 2 four working hours later, over the weekend", () => {
    const breach = doha("2025-03-11T08:00:00");
    const fired = new Set<string>();
    const before = evaluateClock(terms(), clock(start), cal, new Date(breach.getTime() - 1));
    expect(before.due.map((d) => d.key)).toEqual(["warning:resolution:50", "warning:resolution:75"]);
    before.due.forEach((d) => fired.add(d.key));
    const atBreach = evaluateClock(terms(), clock(start), cal, breach, fired);
    expect(atBreach.status).toBe("breached");
    expect(atBreach.due.map((d) => [d.key, d.at.toISOString()])).toEqual([
      ["breach:resolution:0", breach.toISOString()],
      ["escalation:resolution:1", breach.toISOString()],
    ]);
    atBreach.due.forEach((d) => fired.add(d.key));
    expect(atBreach.nextDueAt).toEqual(doha("2025-03-11T12:00:00"));
    expect(evaluateClock(terms(), clock(start), cal, doha("2025-03-11T11:59:59"), fired).due).toEqual([]);
    const level2 = evaluateClock(terms(), clock(start), cal, doha("2025-03-11T12:00:00"), fired);
    expect(level2.due.map((d) => d.key)).toEqual(["escalation:resolution:2"]);
    fired.add("escalation:resolution:2");
    expect(evaluateClock(terms(), clock(start), cal, doha("2025-03-30T12:00:00"), fired).nextDueAt).toBeNull();
  });

  it("a late sweep fires everything due in order, and warnings overtaken by the breach are superseded", () => {
    const view = evaluateClock(terms(), clock(start), cal, doha("2025-03-20T10:00:00"));
    expect(view.due.map((d) => [d.key, d.superseded])).toEqual([
      ["warning:resolution:50", true],
      ["warning:resolution:75", true],
      ["breach:resolution:0", false],
      ["escalation:resolution:1", false],
      ["escalation:resolution:2", false],
    ]);
  });

  it("a pause moves the deadline by exactly the paused working time", () => {
    // Paused Monday 10:00 → Wednesday 11:30 (waiting on the customer): 4 + 7 + 4.5 = 15.5 working hours.
    const pause = { from: doha("2025-03-03T10:00:00"), to: doha("2025-03-05T11:30:00") };
    const paused = evaluateClock(terms(), clock(start, { pauses: [pause] }), cal, doha("2025-03-06T09:00:00"));
    expect(workingTimeBetween(pause.from, pause.to, cal)).toBe(15.5 * H);
    expect(paused.resolutionDueAt).toEqual(addWorkingTime(doha("2025-03-11T08:00:00"), 15.5 * H, cal));
    // While the pause is open nothing later is due and no deadline is known.
    const open = evaluateClock(terms(), clock(start, { pauses: [{ from: pause.from, to: null }] }), cal, doha("2025-03-20T09:00:00"));
    expect(open.resolutionDueAt).toBeNull();
    expect(open.due).toEqual([]);
    expect(open.nextDueAt).toBeNull();
    expect(open.paused).toBe(true);
    expect(open.activeMs).toBe(5 * H + 3 * H);
  });

  it("response milestones lapse once the task is acted on; a late response stays a breach", () => {
    const t = terms({ responseMinutes: 2 * 60, warnPercents: [] });
    const onTime = evaluateClock(t, clock(start, { respondedAt: doha("2025-03-02T10:00:00") }), cal, doha("2025-03-02T12:00:00"));
    expect(onTime.due).toEqual([]);
    expect(onTime.status).toBe("on_time");
    const late = evaluateClock(t, clock(start, { respondedAt: doha("2025-03-02T11:30:00") }), cal, doha("2025-03-02T12:00:00"));
    expect(late.status).toBe("breached");
    expect(late.due).toEqual([]);
    expect(evaluateClock(t, clock(start), cal, doha("2025-03-02T11:00:00")).due.map((d) => d.key)).toEqual(["breach:response:0"]);
  });

  it("a stopped clock has nothing due and keeps its status at the stop", () => {
    const stopped = evaluateClock(terms(), clock(start, { stoppedAt: doha("2025-03-03T09:00:00") }), cal, doha("2025-04-01T09:00:00"));
    expect(stopped.due).toEqual([]);
    expect(stopped.status).toBe("on_time");
    expect(stopped.activeMs).toBe(5 * H + 2 * H);
  });

  it("counts elapsed time for an organisation without a business calendar", () => {
    const view = evaluateClock(terms(), clock(start), null, start);
    expect(view.resolutionDueAt).toEqual(new Date(start.getTime() + 48 * H));
  });
});

describe("properties", () => {
  const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 0, 1) }).map((t) => new Date(Math.floor(t / MIN) * MIN));

  it("every pause shifts every later milestone by exactly its working time", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 60 * 24 * 5 }), fc.integer({ min: 0, max: 60 * 24 * 20 }), (start, hours, gap, length) => {
        const from = new Date(start.getTime() + gap * MIN);
        const to = new Date(from.getTime() + length * MIN);
        const target = hours * H;
        const plain = instantAtActive(clock(start), cal, target)!;
        const shifted = instantAtActive(clock(start, { pauses: [{ from, to }] }), cal, target)!;
        if (plain.getTime() <= from.getTime()) expect(shifted).toEqual(plain);
        else expect(shifted).toEqual(addWorkingTime(plain, workingTimeBetween(from, to, cal), cal));
      }),
      { numRuns: 300 },
    );
  });

  it("measuring at the instant a milestone falls due gives back its active time", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 * 24 * 10 }), fc.integer({ min: 0, max: 60 * 24 * 3 }), fc.integer({ min: 1, max: 60 * 24 * 3 }), (start, minutes, gap, length) => {
        const from = new Date(start.getTime() + gap * MIN);
        const tl = clock(start, { pauses: [{ from, to: new Date(from.getTime() + length * MIN) }] });
        const at = instantAtActive(tl, cal, minutes * MIN)!;
        expect(activeTimeAt(tl, cal, at)).toBe(minutes * MIN);
      }),
      { numRuns: 300 },
    );
  });
});

describe("validation", () => {
  it("accepts the default four-level ladder", () => {
    expect(defaultLadder()).toHaveLength(4);
    expect(validateTerms(terms({ levels: defaultLadder() }))).toEqual([]);
  });

  it("names each problem and where it is", () => {
    expect(validateTerms(terms({ resolutionMinutes: null }))).toEqual([{ code: "target_required", path: ["resolutionMinutes"] }]);
    expect(validateTerms(terms({ responseMinutes: 0 }))).toEqual([{ code: "target_invalid", path: ["responseMinutes"] }]);
    expect(validateTerms(terms({ responseMinutes: 49 * 60 }))).toEqual([{ code: "response_after_resolution", path: ["responseMinutes"] }]);
    expect(validateTerms(terms({ warnPercents: [50, 100] }))).toEqual([{ code: "warning_invalid", path: ["warnPercents"] }]);
    expect(validateTerms(terms({ warnPercents: [50, 50] }))).toEqual([{ code: "warning_duplicate", path: ["warnPercents"] }]);
    expect(
      validateTerms(terms({ levels: [{ afterMinutes: -1, assignee: { type: "role", roleKey: "" }, actions: [] }] })),
    ).toEqual([
      { code: "level_after_invalid", path: ["levels", 0, "afterMinutes"] },
      { code: "level_assignee_required", path: ["levels", 0, "assignee"] },
      { code: "level_actions_required", path: ["levels", 0, "actions"] },
    ]);
  });

  it("raises priority one step at a time", () => {
    expect(raisedPriority("normal")).toBe("high");
    expect(raisedPriority("urgent")).toBe("urgent");
  });
});
