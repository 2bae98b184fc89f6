// The designer edits ISO 8601 durations (a timer's wait, a step's due time) as days, hours
// and minutes. Durations in years, months, weeks or seconds are valid for the engine but not
// split here: splitDuration says so (undefined) and the panel shows them as text.

const ISO = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/;

export interface DurationParts {
  d: number;
  h: number;
  m: number;
}

export function splitDuration(iso: string | undefined): DurationParts | undefined {
  if (!iso) return { d: 0, h: 0, m: 0 };
  const match = ISO.exec(iso);
  if (!match || iso === "P" || iso.endsWith("T")) return undefined;
  return { d: Number(match[1] ?? 0), h: Number(match[2] ?? 0), m: Number(match[3] ?? 0) };
}

/** The ISO form; undefined for zero (no duration). */
export function joinDuration({ d, h, m }: DurationParts): string | undefined {
  if (!d && !h && !m) return undefined;
  const time = `${h ? `${h}H` : ""}${m ? `${m}M` : ""}`;
  return `P${d ? `${d}D` : ""}${time ? `T${time}` : ""}`;
}
