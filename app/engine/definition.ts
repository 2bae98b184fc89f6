import { z } from "zod";

// The workflow definition format: the contract between the designer, the validator, the
// runtime, the repositories and the interchange (JSON/BPMN). Pure data, no I/O.
// Ids are short strings chosen by the editor (e.g. "task_1"); keys are stable slugs.

export const localised = z.object({ ar: z.string().max(500), en: z.string().max(500) });
export type Localised = z.infer<typeof localised>;

const id = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/);
export const slugKey = z.string().regex(/^[a-z][a-z0-9-]{1,63}$/);

/** Who acts on the steps of a lane: everyone holding a role, or everyone in an org unit. */
export const laneAssignee = z.discriminatedUnion("type", [
  z.object({ type: z.literal("role"), roleKey: z.string().min(1).max(64) }),
  z.object({ type: z.literal("unit"), unitCode: z.string().min(1).max(20) }),
]);

export const lane = z.object({ id, name: localised, assignee: laneAssignee });

const position = z.object({ x: z.number(), y: z.number() }).optional();
const base = { id, name: localised, position, lane: id.optional(), documentation: localised.optional() };

/** ISO 8601 duration such as "PT48H", "P1M", "P3DT4H". Business time arrives with the SLA issue. */
export const isoDuration = z.string().regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/);

export const startNode = z.object({
  ...base,
  kind: z.literal("start"),
  /** The start form (a form key): what someone starting a case fills in; its answers are the first case data. */
  form: slugKey.optional(),
});
export const endNode = z.object({ ...base, kind: z.literal("end") });
export const taskNode = z.object({
  ...base,
  kind: z.literal("task"),
  /** A form definition key (forms issue); case data submitted here is validated against it. */
  form: slugKey.optional(),
  estimatedMinutes: z.number().int().min(0).max(525_600).optional(),
  instructions: localised.optional(),
  producesDocument: z.boolean().optional(),
  /** Due after this long (calendar time until business calendars exist). */
  due: isoDuration.optional(),
  priority: z.enum(["low", "normal", "high", "urgent"]).optional(),
  /** Steps table columns of the service documentation card (DOMAIN.md §1). */
  inputs: localised.optional(),
  outputs: localised.optional(),
  tools: localised.optional(),
});
export const decisionNode = z.object({ ...base, kind: z.literal("decision") });
export const parallelNode = z.object({ ...base, kind: z.literal("parallel"), direction: z.enum(["split", "join"]) });
export const gateNode = z.object({
  ...base,
  kind: z.literal("gate"),
  checklist: z.array(z.object({ id, label: localised, required: z.boolean().default(true) })).max(100).default([]),
  requiredForms: z.array(slugKey).max(20).default([]),
  requiredDocuments: z.array(z.object({ id, label: localised })).max(50).default([]),
  approverRole: z.string().min(1).max(64),
});
export const timerNode = z.object({ ...base, kind: z.literal("timer"), duration: isoDuration });
export const subprocessNode = z.object({
  ...base,
  kind: z.literal("subprocess"),
  definitionKey: slugKey,
  /** Pinned version; absent = the latest published version when the token arrives. */
  version: z.number().int().min(1).optional(),
});
export const actionNode = z.object({
  ...base,
  kind: z.literal("action"),
  /** "<pluginId>.<nodeKind>" — provided by a plugin through the plugin contract. */
  actionType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-zA-Z][a-zA-Z0-9_-]*$/),
  config: z.record(z.string(), z.unknown()).default({}),
});

export const node = z.discriminatedUnion("kind", [
  startNode,
  endNode,
  taskNode,
  decisionNode,
  parallelNode,
  gateNode,
  timerNode,
  subprocessNode,
  actionNode,
]);

export const edge = z.object({
  id,
  source: id,
  target: id,
  name: localised.optional(),
  /** FEEL expression over the case data (decision outgoing edges), e.g. `amount > 1000`. */
  condition: z.string().max(2000).optional(),
  /** The decision's fallback when no condition is true. */
  isDefault: z.boolean().optional(),
  /** Gate outgoing edges: which outcome follows this edge. */
  outcome: z.enum(["go", "no-go", "rework"]).optional(),
  /** Bend points for the diagram. */
  waypoints: z.array(z.object({ x: z.number(), y: z.number() })).max(50).optional(),
});

export const definitionGraph = z.object({
  key: slugKey,
  name: localised,
  description: localised.optional(),
  /** Reading direction of the diagram, chosen by the organisation. */
  direction: z.enum(["rtl", "ltr"]).default("rtl"),
  lanes: z.array(lane).max(50).default([]),
  nodes: z.array(node).min(1).max(2000),
  edges: z.array(edge).max(4000).default([]),
});

export type LaneAssignee = z.infer<typeof laneAssignee>;
export type Lane = z.infer<typeof lane>;
export type WorkflowNode = z.infer<typeof node>;
export type NodeKind = WorkflowNode["kind"];
export type TaskNode = z.infer<typeof taskNode>;
export type GateNode = z.infer<typeof gateNode>;
export type TimerNode = z.infer<typeof timerNode>;
export type SubprocessNode = z.infer<typeof subprocessNode>;
export type ActionNode = z.infer<typeof actionNode>;
export type Edge = z.infer<typeof edge>;
export type DefinitionGraph = z.infer<typeof definitionGraph>;
export const NODE_KINDS = ["start", "end", "task", "decision", "parallel", "gate", "timer", "subprocess", "action"] as const;
