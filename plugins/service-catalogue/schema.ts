import { z } from "zod";
import { KPI_FREQUENCIES, KPI_UNITS } from "./kpi";
import { SERVICE_CHANNELS, SERVICE_SEGMENTS } from "./public-types";

// Inputs of the catalogue's pages, validated on the server. Messages are translation keys of
// the "service-catalogue" namespace (fieldErrorsFrom turns them into the member's language).
// Limits match the CHECK constraints of migrations/0001_service_catalogue.ts.

const text = (max: number) => z.string().trim().max(max, "errors.tooLong");
const optionalUuid = z
  .string()
  .trim()
  .transform((v) => (v === "" ? null : v))
  .pipe(z.uuid("errors.invalidValue").nullable());

export const SERVICE_FIELDS = [
  "nameAr",
  "nameEn",
  "descriptionAr",
  "descriptionEn",
  "categoryAr",
  "categoryEn",
  "entityAr",
  "entityEn",
  "unitId",
  "segment",
  "level",
  "parentId",
  "linkage",
  "linkType",
  "linkedEntityAr",
  "linkedEntityEn",
  "slaReference",
  "channel",
  "channelDetailsAr",
  "channelDetailsEn",
  "conditionsAr",
  "conditionsEn",
  "documentsAr",
  "documentsEn",
  "feesAr",
  "feesEn",
  "contactAr",
  "contactEn",
  "finalProductAr",
  "finalProductEn",
  "estimatedMinutes",
  "workflowKey",
] as const;

export const serviceInputSchema = z
  .object({
    nameAr: z.string().trim().min(1, "errors.nameRequired").max(200, "errors.tooLong"),
    nameEn: text(200),
    descriptionAr: text(4000),
    descriptionEn: text(4000),
    categoryAr: text(200),
    categoryEn: text(200),
    entityAr: z.string().trim().min(1, "errors.entityRequired").max(200, "errors.tooLong"),
    entityEn: text(200),
    unitId: z.string().trim().min(1, "errors.unitRequired").pipe(z.uuid("errors.unitRequired")),
    segment: z.enum(SERVICE_SEGMENTS, "errors.invalidValue"),
    level: z.enum(["main", "sub"], "errors.invalidValue"),
    parentId: optionalUuid,
    linkage: z.enum(["unlinked", "linked"], "errors.invalidValue"),
    linkType: z
      .string()
      .transform((v) => (v === "" ? null : v))
      .pipe(z.enum(["electronic", "traditional", "other"], "errors.invalidValue").nullable()),
    linkedEntityAr: text(200),
    linkedEntityEn: text(200),
    slaReference: text(200),
    channel: z.enum(SERVICE_CHANNELS, "errors.invalidValue"),
    channelDetailsAr: text(1000),
    channelDetailsEn: text(1000),
    conditionsAr: text(4000),
    conditionsEn: text(4000),
    documentsAr: text(4000),
    documentsEn: text(4000),
    feesAr: text(1000),
    feesEn: text(1000),
    contactAr: text(1000),
    contactEn: text(1000),
    finalProductAr: text(500),
    finalProductEn: text(500),
    estimatedMinutes: z
      .string()
      .trim()
      .transform((v) => (v === "" ? null : Number(v)))
      .pipe(z.number("errors.minutes").int("errors.minutes").min(0, "errors.minutes").max(525_600, "errors.minutes").nullable()),
    workflowKey: z
      .string()
      .trim()
      .transform((v) => (v === "" ? null : v))
      .pipe(
        z
          .string()
          .regex(/^[a-z][a-z0-9-]{1,63}$/, "errors.invalidValue")
          .nullable(),
      ),
  })
  .superRefine((v, ctx) => {
    if (v.level === "sub" && !v.parentId)
      ctx.addIssue({
        code: "custom",
        path: ["parentId"],
        message: "errors.parentRequired",
      });
    if (v.linkage === "linked" && !v.linkType)
      ctx.addIssue({
        code: "custom",
        path: ["linkType"],
        message: "errors.linkTypeRequired",
      });
    if (v.categoryEn && !v.categoryAr)
      ctx.addIssue({
        code: "custom",
        path: ["categoryAr"],
        message: "errors.categoryArRequired",
      });
  })
  .transform((v) => ({
    ...v,
    parentId: v.level === "sub" ? v.parentId : null,
    linkType: v.linkage === "linked" ? v.linkType : null,
    categoryAr: v.categoryAr || null,
    categoryEn: v.categoryAr ? v.categoryEn || null : null,
  }));

export type ServiceInput = z.output<typeof serviceInputSchema>;

export const KPI_METHODS = ["manual", "errorRate", "satisfaction", "completionTime", "requests", "custom"] as const;
export type KpiMethod = (typeof KPI_METHODS)[number];

export const KPI_FIELDS = ["nameAr", "nameEn", "formulaAr", "formulaEn", "method", "field", "expression", "frequency", "target", "unit", "direction"] as const;

export const kpiInputSchema = z
  .object({
    nameAr: z.string().trim().min(1, "errors.kpiNameRequired").max(200, "errors.tooLong"),
    nameEn: text(200),
    formulaAr: text(1000),
    formulaEn: text(1000),
    method: z.enum(KPI_METHODS, "errors.invalidValue"),
    field: z
      .string()
      .trim()
      .max(64)
      .regex(/^([A-Za-z_][A-Za-z0-9_]*)?$/, "errors.fieldName"),
    expression: text(1000),
    frequency: z.enum(KPI_FREQUENCIES, "errors.invalidValue"),
    target: z.string().trim().min(1, "errors.targetRequired").transform(Number).pipe(z.number("errors.targetRequired").finite("errors.targetRequired")),
    unit: z.enum(KPI_UNITS, "errors.invalidValue"),
    direction: z.enum(["atLeast", "atMost"], "errors.invalidValue"),
  })
  .superRefine((v, ctx) => {
    if (v.unit === "percent" && (v.target < 0 || v.target > 100))
      ctx.addIssue({
        code: "custom",
        path: ["target"],
        message: "errors.percentTarget",
      });
    if (v.method === "custom" && !v.expression)
      ctx.addIssue({
        code: "custom",
        path: ["expression"],
        message: "errors.expressionRequired",
      });
  });

export type KpiInput = z.output<typeof kpiInputSchema>;

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "errors.date");

export const measurementInputSchema = z
  .object({
    periodStart: isoDay,
    periodEnd: isoDay,
    value: z.string().trim().min(1, "errors.valueRequired").transform(Number).pipe(z.number("errors.valueRequired").finite("errors.valueRequired")),
    note: text(1000),
  })
  .refine((v) => v.periodEnd >= v.periodStart, {
    path: ["periodEnd"],
    message: "errors.periodOrder",
  });

export const periodInputSchema = z.object({ periodStart: isoDay, periodEnd: isoDay }).refine((v) => v.periodEnd >= v.periodStart, {
  path: ["periodEnd"],
  message: "errors.periodOrder",
});

// The charter arrives as JSON from the editor (its axes and commitments are repeated blocks).
const loc = (max: number) =>
  z.object({
    ar: z.string().trim().max(max, "errors.tooLong"),
    en: z.string().trim().max(max, "errors.tooLong"),
  });
const lines = z.object({
  ar: z.array(z.string().trim().min(1).max(1000)).max(50),
  en: z.array(z.string().trim().min(1).max(1000)).max(50),
});

export const charterContentSchema = z.object({
  title: loc(300).refine((v) => v.ar.length > 0, "errors.charterTitleRequired"),
  introduction: loc(5000),
  values: lines,
  axes: z
    .array(
      z.object({
        axis: loc(200).refine((v) => v.ar.length > 0, "errors.axisRequired"),
        commitments: z
          .array(
            z.object({
              commitment: loc(1000).refine((v) => v.ar.length > 0, "errors.commitmentRequired"),
              serviceLevels: lines,
            }),
          )
          .max(30),
      }),
    )
    .max(20),
  customerObligations: lines,
  signature: z.object({
    name: loc(200),
    title: loc(200),
    date: z.union([isoDay, z.null()]),
  }),
});
