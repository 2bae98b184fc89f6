import fs from "node:fs";
import { env } from "./env.server";
import { log } from "./log.server";

// The SLA clock's notion of "now". In production it is the real clock. Two seams exist so that
// tests and the end-to-end run can watch a 48-working-hour deadline pass without waiting:
// - MASAR_CLOCK_FILE (env): a JSON file {"offsetMs": n} that moves SLA time forward by n ms in a
//   running server (re-read at most once a second, so a test writes it and the next sweep sees
//   it). Unset by default; a server that has it set says so in its log at the first read.
// - setTestClock(): a fixed instant inside one test process (integration tests).
// Only deadline code (clock start, pause/resume, sweep, escalations, dashboard) and the
// agreements plugin's "today" (plugins/sla/calendar.server.ts: terms, notices, reminders) read
// this clock; sessions, timers and everything else keep the real one, so an offset in a shared
// test server changes nothing else. End-to-end specs of agreements read "today" from the page.

let fixed: Date | null = null;
let cached: { offsetMs: number; readAt: number } | undefined;
let announced = false;

const REREAD_MS = 1000;

function fileOffset(): number {
  const file = env().MASAR_CLOCK_FILE;
  if (!file) return 0;
  const real = Date.now();
  if (cached && real - cached.readAt < REREAD_MS) return cached.offsetMs;
  let offsetMs = 0;
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { offsetMs?: unknown };
    if (typeof parsed.offsetMs === "number" && Number.isFinite(parsed.offsetMs)) offsetMs = parsed.offsetMs;
  } catch {
    // No file yet (or being written): no offset.
  }
  if (!announced) {
    announced = true;
    log.warn("the SLA clock can be moved by a file (MASAR_CLOCK_FILE): tests and demos only", { file });
  }
  cached = { offsetMs, readAt: real };
  return offsetMs;
}

/** SLA time now. */
export function slaNow(): Date {
  if (fixed) return new Date(fixed);
  return new Date(Date.now() + fileOffset());
}

/** The SLA time of a real instant (a task created at `real` starts its clock at slaTime(real)). */
export function slaTime(real: Date): Date {
  if (fixed) return new Date(fixed);
  return new Date(real.getTime() + fileOffset());
}

/** Tests: freeze SLA time at an instant (null: back to the real clock). */
export function setTestClock(at: Date | null): void {
  fixed = at ? new Date(at) : null;
}
