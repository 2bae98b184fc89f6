import type { GateNode, Localised, NodeKind, WorkflowNode } from "~/engine/definition";
import type { NewNode } from "./store";

// The properties panel is drawn from a JSON Schema per node kind, so a plugin's node kind
// (whose config is a JSON Schema in the plugin contract) gets a panel for free. Core kinds say
// which special editor a property needs with "x-widget" (names in two languages, the lane, a
// form, a role, a duration…) and name their label with "x-label" (a key of designer:fields).
// A plugin kind's config schema comes in under the action node's `config` property.

export type Widget =
  | "localised"
  | "localisedText"
  | "lane"
  | "form"
  | "forms"
  | "role"
  | "minutes"
  | "isoDuration"
  | "checklist"
  | "documents"
  | "definition"
  | "pluginConfig";

export interface PropertySchema {
  type?: "string" | "number" | "integer" | "boolean" | "object" | "array";
  title?: string;
  description?: string;
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  default?: unknown;
  properties?: Record<string, PropertySchema>;
  items?: PropertySchema;
  required?: readonly string[];
  "x-widget"?: Widget;
  "x-label"?: string;
  /** For "x-label" keys with a help text (designer:fields.<key>Help). */
  "x-help"?: boolean;
}

export interface KindSchema {
  type: "object";
  properties: Record<string, PropertySchema>;
  required?: readonly string[];
}

const name: PropertySchema = { type: "object", "x-widget": "localised", "x-label": "name" };
const lane: PropertySchema = { type: "string", "x-widget": "lane", "x-label": "lane" };
const documentation: PropertySchema = { type: "object", "x-widget": "localisedText", "x-label": "documentation" };
const common = { name, lane };

/** One schema per core kind; property names are those of app/engine/definition.ts. */
export const KIND_SCHEMAS: Record<NodeKind, KindSchema> = {
  // The start form: what the person starting a case fills in (and a citizen, on the public portal).
  start: { type: "object", properties: { ...common, form: { type: "string", "x-widget": "form", "x-label": "startForm", "x-help": true }, documentation } },
  end: { type: "object", properties: { ...common, documentation } },
  task: {
    type: "object",
    required: ["name"],
    properties: {
      ...common,
      form: { type: "string", "x-widget": "form", "x-label": "form", "x-help": true },
      estimatedMinutes: { type: "integer", minimum: 0, maximum: 525_600, "x-widget": "minutes", "x-label": "estimatedMinutes", "x-help": true },
      due: { type: "string", "x-widget": "isoDuration", "x-label": "due", "x-help": true },
      priority: { type: "string", enum: ["low", "normal", "high", "urgent"], "x-label": "priority" },
      producesDocument: { type: "boolean", "x-label": "producesDocument", "x-help": true },
      instructions: { type: "object", "x-widget": "localisedText", "x-label": "instructions" },
      inputs: { type: "object", "x-widget": "localisedText", "x-label": "inputs" },
      outputs: { type: "object", "x-widget": "localisedText", "x-label": "outputs" },
      tools: { type: "object", "x-widget": "localisedText", "x-label": "tools" },
      documentation,
    },
  },
  decision: { type: "object", properties: { ...common, documentation } },
  parallel: { type: "object", required: ["direction"], properties: { ...common, direction: { type: "string", enum: ["split", "join"], "x-label": "parallelDirection" }, documentation } },
  gate: {
    type: "object",
    required: ["name", "approverRole"],
    properties: {
      ...common,
      approverRole: { type: "string", "x-widget": "role", "x-label": "approverRole", "x-help": true },
      checklist: { type: "array", "x-widget": "checklist", "x-label": "checklist" },
      requiredForms: { type: "array", "x-widget": "forms", "x-label": "requiredForms" },
      requiredDocuments: { type: "array", "x-widget": "documents", "x-label": "requiredDocuments" },
      documentation,
    },
  },
  timer: { type: "object", required: ["duration"], properties: { ...common, duration: { type: "string", "x-widget": "isoDuration", "x-label": "duration", "x-help": true }, documentation } },
  subprocess: {
    type: "object",
    required: ["name", "definitionKey"],
    properties: {
      ...common,
      definitionKey: { type: "string", "x-widget": "definition", "x-label": "definitionKey" },
      version: { type: "integer", minimum: 1, "x-label": "version", "x-help": true },
      documentation,
    },
  },
  action: { type: "object", required: ["name"], properties: { ...common, config: { type: "object", "x-widget": "pluginConfig", "x-label": "config" }, documentation } },
};

/** A plugin node kind as the designer's loader passes it (see listActionKinds). */
export interface PaletteActionKind {
  actionType: string;
  pluginId: string;
  name: Localised;
  description?: Localised;
  configSchema: Record<string, unknown>;
  configTranslations: { ar: Record<string, string>; en: Record<string, string> };
  pluginName: Localised;
}

/** The schema the panel renders for a node: its kind's, with a plugin kind's config inside. */
export function schemaFor(node: Pick<WorkflowNode, "kind"> & { actionType?: string }, kinds: readonly PaletteActionKind[]): KindSchema {
  const base = KIND_SCHEMAS[node.kind];
  if (node.kind !== "action") return base;
  const kind = kinds.find((k) => k.actionType === node.actionType);
  const config = kind ? ({ ...(kind.configSchema as PropertySchema), "x-widget": "pluginConfig", "x-label": "config" } as PropertySchema) : base.properties.config!;
  return { ...base, properties: { ...base.properties, config } };
}

/** Defaults a JSON Schema declares (top-level properties), for a new plugin node's config. */
export function schemaDefaults(schema: Record<string, unknown>): Record<string, unknown> {
  const props = (schema.properties ?? {}) as Record<string, { default?: unknown }>;
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(props)) if (p && p.default !== undefined) out[k] = p.default;
  return out;
}

/** What the palette offers: the core kinds (a step producing a document and both parallel ends as their own entries) and plugin kinds. */
export type PaletteEntry =
  | { id: string; kind: Exclude<NodeKind, "action">; variant?: "document" | "split" | "join" }
  | { id: string; kind: "action"; actionType: string };

export const CORE_PALETTE: readonly PaletteEntry[] = [
  { id: "start", kind: "start" },
  { id: "end", kind: "end" },
  { id: "task", kind: "task" },
  { id: "document", kind: "task", variant: "document" },
  { id: "subprocess", kind: "subprocess" },
  { id: "decision", kind: "decision" },
  { id: "gate", kind: "gate" },
  { id: "split", kind: "parallel", variant: "split" },
  { id: "join", kind: "parallel", variant: "join" },
  { id: "timer", kind: "timer" },
];

export interface NodeDefaults {
  /** The default name of each palette entry in both languages (designer:defaults.<entry id>). */
  name: (entryId: string) => Localised;
  roles: readonly string[];
  definitions: readonly string[];
  actionKinds: readonly PaletteActionKind[];
}

/**
 * A new node for a palette entry, always valid against the definition schema (an invalid
 * field would hide every other problem and stop the draft from saving). Undefined when the
 * entry cannot make a valid node here (a subprocess with no other workflow to call).
 */
export function newNode(entry: PaletteEntry, d: NodeDefaults): NewNode | undefined {
  const name = d.name(entry.id);
  switch (entry.kind) {
    case "task":
      return { kind: "task", name, ...(entry.variant === "document" ? { producesDocument: true } : {}) };
    case "parallel":
      return { kind: "parallel", name, direction: entry.variant === "join" ? "join" : "split" };
    case "gate": {
      const approverRole = d.roles.includes("manager") ? "manager" : d.roles[0];
      if (!approverRole) return undefined;
      const gate: Omit<GateNode, "id" | "position" | "lane"> = { kind: "gate", name, approverRole, checklist: [], requiredForms: [], requiredDocuments: [] };
      return gate;
    }
    case "timer":
      return { kind: "timer", name, duration: "P1D" };
    case "subprocess": {
      const definitionKey = d.definitions[0];
      return definitionKey ? { kind: "subprocess", name, definitionKey } : undefined;
    }
    case "action": {
      const kind = d.actionKinds.find((k) => k.actionType === entry.actionType);
      if (!kind) return undefined;
      return { kind: "action", name: { ...kind.name }, actionType: kind.actionType, config: schemaDefaults(kind.configSchema) };
    }
    default:
      return { kind: entry.kind, name };
  }
}
