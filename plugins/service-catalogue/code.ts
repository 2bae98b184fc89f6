// The service code (رمز الخدمة), guide 004 definitions: "starts with the first letters of the
// government body's name – the code of the administrative unit providing the service as in
// the organisation-structure decision – the letter S to mark it a service – the service's
// serial number, starting from 1", separated by "-". Example in the guide: د خ م - 16 S - 1.
// The serial is drawn once per organisation (service_catalogue_counter) when the service is
// created and the code is stored: renaming the service or moving it to another unit never
// changes it.

export const SERVICE_MARK = "S";

/** Collapses whitespace in the organisation's initials ("د  خ م" → "د خ م"). */
export function normaliseInitials(initials: string): string {
  return initials.trim().replace(/\s+/g, " ");
}

export function formatServiceCode(initials: string, unitCode: string, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError("the service serial starts from 1");
  const org = normaliseInitials(initials);
  const unit = unitCode.trim();
  if (!org) throw new RangeError("the organisation has no initials");
  if (!unit) throw new RangeError("the unit has no code");
  return `${org}-${unit}-${SERVICE_MARK}-${serial}`;
}

/** The parts of a code made by formatServiceCode, or null for anything else. */
export function parseServiceCode(code: string): { initials: string; unitCode: string; serial: number } | null {
  const m = /^(.+)-([^-\s]+)-S-([1-9]\d*)$/.exec(code.trim());
  if (!m) return null;
  return { initials: m[1]!, unitCode: m[2]!, serial: Number(m[3]) };
}
