import { BpmnModdle, type ModdleElement } from "bpmn-moddle";
import type { Localised } from "./definition";

// Shared by the BPMN import (bpmn.ts) and export (bpmn-export.ts): the moddle instance with
// Masar's extension namespace, shape sizes, warning codes and small readers that narrow
// moddle's loosely typed properties.

/**
 * Masar's BPMN extension. BPMN has one `name` per element; masar:name keeps both
 * languages, masar:properties keeps what BPMN cannot say (form, estimated minutes, gate
 * checklists, …) as JSON, and masar:roleKey / masar:unitCode on a lane say who acts.
 * Other tools keep unknown extension elements, so a round trip through Camunda Modeler
 * keeps them too.
 */
export const MASAR_NS = "https://masar.dev/schema/bpmn/1.0";
export const ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0";

const masarPackage = {
  name: "Masar",
  uri: MASAR_NS,
  prefix: "masar",
  xml: { tagAlias: "lowerCase" },
  associations: [],
  enumerations: [],
  types: [
    {
      name: "Name",
      superClass: ["Element"],
      properties: [
        { name: "ar", isAttr: true, type: "String" },
        { name: "en", isAttr: true, type: "String" },
      ],
    },
    { name: "Properties", superClass: ["Element"], properties: [{ name: "json", isBody: true, type: "String" }] },
    {
      name: "LaneAssignee",
      extends: ["bpmn:Lane"],
      properties: [
        { name: "roleKey", isAttr: true, type: "String" },
        { name: "unitCode", isAttr: true, type: "String" },
      ],
    },
  ],
};

export function createModdle(): BpmnModdle {
  return new BpmnModdle({ masar: masarPackage });
}

/** Shape sizes Camunda Modeler uses; positions are the shapes' top-left corners. */
export const BPMN_WARNING_CODES = [
  "parser_warning",
  "multiple_processes",
  "no_diagram",
  "id_renamed",
  "key_derived",
  "lane_assignee_derived",
  "nested_lanes_flattened",
  "event_trigger_ignored",
  "task_type_as_human",
  "embedded_subprocess",
  "gateway_as_exclusive",
  "merge_gateway_removed",
  "mixed_gateway_split",
  "catch_event_as_human",
  "throw_event_as_human",
  "boundary_event_dropped",
  "timer_not_duration",
  "timer_expression",
  "call_activity_no_target",
  "called_element_renamed",
  "condition_not_feel",
  "extension_ignored",
  "element_ignored",
  "flow_dropped",
  "masar_properties_invalid",
] as const;
export type BpmnWarningCode = (typeof BPMN_WARNING_CODES)[number];

export interface BpmnWarning {
  code: BpmnWarningCode;
  /** The BPMN element the warning is about (its id in the file). */
  elementId?: string;
  params?: Record<string, string | number>;
}

export const BPMN_ERROR_CODES = ["too_large", "malformed_xml", "not_bpmn", "no_process", "invalid_result"] as const;
export type BpmnErrorCode = (typeof BPMN_ERROR_CODES)[number];

/** The file could not be turned into a definition at all (warnings are for the rest). */
export class BpmnImportError extends Error {
  constructor(
    readonly code: BpmnErrorCode,
    readonly detail?: string,
  ) {
    super(`BPMN import failed: ${code}${detail ? ` (${detail})` : ""}`);
    this.name = "BpmnImportError";
  }
}

/** Files larger than this are refused before parsing (a modelled process is far smaller). */
export const MAX_BPMN_BYTES = 5 * 1024 * 1024;

// ---- readers over moddle elements -------------------------------------------------------

export function list(el: ModdleElement | undefined, prop: string): ModdleElement[] {
  const value = el?.[prop];
  return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

export function text(el: ModdleElement | undefined, prop: string): string | undefined {
  const value = el?.[prop];
  return typeof value === "string" ? value : undefined;
}

export function child(el: ModdleElement | undefined, prop: string): ModdleElement | undefined {
  const value = el?.[prop];
  return value && typeof value === "object" && !Array.isArray(value) ? (value as ModdleElement) : undefined;
}

export function extensionValues(el: ModdleElement | undefined): ModdleElement[] {
  return list(child(el, "extensionElements"), "values");
}

export function same(ar: string): Localised {
  return { ar, en: ar };
}

/**
 * A slug for definition keys (^[a-z][a-z0-9-]{1,63}$) from a BPMN id or name; undefined
 * when nothing usable is left (an all-Arabic name, for example).
 */
export function slugify(value: string): string | undefined {
  let slug = value
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (!slug) return undefined;
  if (!/^[a-z]/.test(slug)) slug = `p-${slug}`;
  if (slug.length < 2) slug = `${slug}-1`;
  return slug.slice(0, 64).replace(/-+$/, "");
}
