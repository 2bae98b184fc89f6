import type { Localised, LocalisedList, ServiceChannel, ServiceSegment } from "./public-types";

// The frozen content of one published version of a service (service_catalogue_service_version.
// snapshot): every field of the service card and the documentation card except the steps
// table, which stays a view of the linked workflow definition. Pure, shared by the model,
// the public read functions and the pages.

export interface ServiceSnapshot {
  code: string;
  name: Localised;
  description: Localised;
  category: Localised | null;
  entity: Localised;
  responsibleUnit: (Localised & { code: string }) | null;
  segment: ServiceSegment;
  level: "main" | "sub";
  parentCode: string | null;
  linkage: "unlinked" | "linked";
  linkType: "electronic" | "traditional" | "other" | null;
  linkedEntity: Localised;
  slaReference: string;
  channel: ServiceChannel;
  channelDetails: Localised;
  conditions: LocalisedList;
  requiredDocuments: LocalisedList;
  fees: Localised;
  contact: Localised;
  finalProduct: Localised;
  estimatedMinutes: number | null;
  workflowKey: string | null;
}

/** "one item a line" text → items (blank lines and leading list dashes/bullets dropped). */
export function splitLines(text: string | null | undefined): string[] {
  return (text ?? "")
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*[-–•*]\s*/, "").trim())
    .filter((line) => line.length > 0);
}

const text = (v: unknown): string => (typeof v === "string" ? v : "");
const loc = (v: unknown): Localised => {
  const o = (v ?? {}) as Record<string, unknown>;
  return { ar: text(o.ar), en: text(o.en) };
};
const list = (v: unknown): LocalisedList => {
  const o = (v ?? {}) as Record<string, unknown>;
  const items = (x: unknown) => (Array.isArray(x) ? x.filter((i): i is string => typeof i === "string") : []);
  return { ar: items(o.ar), en: items(o.en) };
};

/** Reads a stored snapshot defensively (older versions may lack fields added later). */
export function readSnapshot(raw: Record<string, unknown>): ServiceSnapshot {
  const unit = raw.responsibleUnit as Record<string, unknown> | null | undefined;
  const segment = raw.segment === "G2B" || raw.segment === "G2G" ? raw.segment : "G2C";
  const channel = raw.channel === "partial" || raw.channel === "digital" ? raw.channel : "traditional";
  const linkType = raw.linkType === "electronic" || raw.linkType === "traditional" || raw.linkType === "other" ? raw.linkType : null;
  const minutes = typeof raw.estimatedMinutes === "number" && Number.isFinite(raw.estimatedMinutes) ? raw.estimatedMinutes : null;
  return {
    code: text(raw.code),
    name: loc(raw.name),
    description: loc(raw.description),
    category: raw.category ? loc(raw.category) : null,
    entity: loc(raw.entity),
    responsibleUnit: unit ? { ...loc(unit), code: text(unit.code) } : null,
    segment,
    level: raw.level === "sub" ? "sub" : "main",
    parentCode: typeof raw.parentCode === "string" ? raw.parentCode : null,
    linkage: raw.linkage === "linked" ? "linked" : "unlinked",
    linkType,
    linkedEntity: loc(raw.linkedEntity),
    slaReference: text(raw.slaReference),
    channel,
    channelDetails: loc(raw.channelDetails),
    conditions: list(raw.conditions),
    requiredDocuments: list(raw.requiredDocuments),
    fees: loc(raw.fees),
    contact: loc(raw.contact),
    finalProduct: loc(raw.finalProduct),
    estimatedMinutes: minutes,
    workflowKey: typeof raw.workflowKey === "string" && raw.workflowKey ? raw.workflowKey : null,
  };
}
