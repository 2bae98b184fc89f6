import { z } from "zod";
import type { AgreementContent, Side } from "./agreement";

// The agreement's content as the pages send it, checked on the server before every write (and
// when a stored version is read back). Messages are translation keys of the "sla" namespace.

const text = (max: number) => z.string().trim().max(max, "errors.tooLong");
const required = (max: number, key = "errors.required") => z.string().trim().min(1, key).max(max, "errors.tooLong");
const email = z
  .string()
  .trim()
  .max(200, "errors.tooLong")
  .refine((v) => v === "" || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), "errors.email");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "errors.date").refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "errors.date");
/** Up to a year of working time, in minutes. */
const workingMinutes = z.number("errors.number").int("errors.number").min(1, "errors.positive").max(60 * 24 * 366, "errors.tooLarge");
const userId = z.uuid("errors.invalidValue").nullable();
const lines = (maxItems: number) => z.array(required(1000)).max(maxItems, "errors.tooMany");

export const SIDE_VALUES = ["provider", "recipient"] as const satisfies readonly Side[];

export const ladderLevelSchema = z.object({
  name: required(200, "errors.ladderName"),
  title: text(200),
  email,
  maxResponseMinutes: workingMinutes,
  userId,
});

export const partySchema = z.object({
  entity: required(200, "errors.entityRequired"),
  monitor: z.object({ unit: required(200, "errors.monitorUnit"), name: text(200), title: text(200), email, userId }),
  ladder: z.array(ladderLevelSchema).min(1, "errors.ladderEmpty").max(8, "errors.tooMany"),
  responsibilities: lines(50),
});

export const agreementContentSchema = z.object({
  nameAr: required(200, "errors.nameRequired"),
  nameEn: text(200),
  introduction: text(8000),
  objectives: lines(30),
  provider: partySchema,
  recipient: partySchema,
  ourSide: z.enum(SIDE_VALUES, "errors.invalidValue"),
  term: z.object({
    startDate: isoDate,
    months: z.number("errors.number").int("errors.number").min(1, "errors.positive").max(120, "errors.tooLarge"),
    autoRenew: z.boolean(),
  }),
  majorChangesNote: text(4000),
  responseTimes: z.object({ emailMinutes: workingMinutes, letterMinutes: workingMinutes }),
}) satisfies z.ZodType<AgreementContent>;

export const signatureSchema = z.object({
  side: z.enum(SIDE_VALUES, "errors.invalidValue"),
  entity: required(200, "errors.entityRequired"),
  title: required(200, "errors.signatoryTitle"),
  name: required(200, "errors.signatoryName"),
  date: isoDate,
});
/** Both sides sign a version: exactly one signature per side. */
export const signaturesSchema = z
  .array(signatureSchema)
  .length(2, "errors.bothSignatures")
  .refine((s) => s.some((x) => x.side === "provider") && s.some((x) => x.side === "recipient"), "errors.bothSignatures");

export const cancellationSchema = z.object({
  side: z.enum(SIDE_VALUES, "errors.invalidValue"),
  letterDate: isoDate,
  letterRef: required(100, "errors.letterRef"),
  effectiveDate: isoDate,
  reason: required(2000, "errors.reasonRequired"),
});

export const breachSchema = z.object({
  occurredAt: z.iso.datetime({ offset: true, message: "errors.date" }),
  side: z.enum(SIDE_VALUES, "errors.invalidValue"),
  description: required(2000, "errors.descriptionRequired"),
  cause: text(2000),
  fix: text(2000),
});

export const meetingSchema = z.object({
  quarterStart: isoDate,
  heldOn: isoDate,
  attendees: required(2000, "errors.attendeesRequired"),
  minutes: required(20000, "errors.minutesRequired"),
});

export const linkSchema = z.object({
  serviceId: z.uuid("errors.invalidValue"),
  nodeId: required(200),
  channel: z.enum(["email", "letter"], "errors.invalidValue"),
  responsibleSide: z.enum(SIDE_VALUES, "errors.invalidValue"),
});

export type CancellationInput = z.infer<typeof cancellationSchema>;
export type BreachInput = z.infer<typeof breachSchema>;
export type MeetingInput = z.infer<typeof meetingSchema>;
export type LinkInput = z.infer<typeof linkSchema>;
