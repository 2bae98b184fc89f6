import type { ModdleElement } from "bpmn-moddle";
import { definitionGraph, edge as edgeSchema, isoDuration, node as nodeSchema, type DefinitionGraph, type Edge, type Lane, type Localised, type WorkflowNode } from "./definition";
import {
  BpmnImportError,
  child,
  createModdle,
  extensionValues,
  list,
  MAX_BPMN_BYTES,
  same,
  slugify,
  text,
  type BpmnWarning,
} from "./bpmn-model";

// BPMN 2.0 → Masar definition, for the subset in docs/bpmn.md: start/end events, user,
// manual and plain tasks, exclusive and parallel gateways, timer catch events, call
// activities, lanes, sequence-flow conditions (FEEL, "=" prefixed as Camunda 8 writes
// them) and the diagram layout. Everything else becomes a warning, never a crash.
export { exportBpmn } from "./bpmn-export";
export { BpmnImportError, type BpmnWarning } from "./bpmn-model";

export interface BpmnImportResult {
  graph: DefinitionGraph;
  warnings: BpmnWarning[];
}

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
type Point = { x: number; y: number };

const ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const ROLE_KEY = /^[a-z][a-z0-9_-]{1,40}$/;
const HUMAN_TASKS = new Set(["bpmn:UserTask", "bpmn:ManualTask", "bpmn:Task"]);
const OTHER_TASKS = new Set(["bpmn:ServiceTask", "bpmn:SendTask", "bpmn:ReceiveTask", "bpmn:ScriptTask", "bpmn:BusinessRuleTask"]);
const EMBEDDED = new Set(["bpmn:SubProcess", "bpmn:Transaction", "bpmn:AdHocSubProcess"]);
const OTHER_GATEWAYS = new Set(["bpmn:InclusiveGateway", "bpmn:ComplexGateway", "bpmn:EventBasedGateway"]);
// Keys a masar:properties block may not override: they come from BPMN itself.
const RESERVED = new Set(["id", "name", "position", "lane", "source", "target", "condition", "isDefault", "waypoints"]);

export async function importBpmn(xml: string, options: { key?: string } = {}): Promise<BpmnImportResult> {
  if (new TextEncoder().encode(xml).length > MAX_BPMN_BYTES) throw new BpmnImportError("too_large", String(MAX_BPMN_BYTES));
  const warnings: BpmnWarning[] = [];
  const warn = (w: BpmnWarning) => warnings.push(w);
  const defs = await parse(xml, warn);

  const roots = list(defs, "rootElements");
  const processes = roots.filter((e) => e.$type === "bpmn:Process");
  if (processes.length === 0) throw new BpmnImportError("no_process");
  const withContent = processes.filter((p) => list(p, "flowElements").length > 0);
  if (withContent.length === 0) throw new BpmnImportError("no_process");
  if (withContent.length > 1) warn({ code: "multiple_processes", params: { count: withContent.length, imported: withContent[0]!.id ?? "" } });
  const process = withContent[0]!;
  const participant = roots
    .filter((e) => e.$type === "bpmn:Collaboration")
    .flatMap((c) => list(c, "participants"))
    .find((p) => child(p, "processRef") === process);

  // Annotations and groups only document the diagram; associations merely attach them.
  const artifacts = [process, ...roots.filter((e) => e.$type === "bpmn:Collaboration")].flatMap((c) => list(c, "artifacts"));
  for (const a of artifacts) if (a.$type !== "bpmn:Association") warn({ code: "element_ignored", elementId: a.id, params: { type: a.$type } });

  const di = readDiagram(defs);
  if (di.shapes.size === 0) warn({ code: "no_diagram" });
  const ids = idMapper(warn);

  // Lanes first: every flow node learns its lane from flowNodeRef.
  const laneOf = new Map<string, string>();
  const laneEls = leafLanes(list(process, "laneSets"), warn);
  const order = (el: ModdleElement, i: number) => di.shapes.get(el.id ?? "")?.y ?? i * 1e6;
  const lanes: Lane[] = laneEls
    .map((el, i) => ({ el, at: order(el, i) }))
    .sort((a, b) => a.at - b.at)
    .map(({ el }) => {
      const id = ids(el.id);
      for (const ref of list(el, "flowNodeRef")) if (ref.id) laneOf.set(ref.id, id);
      return { id, name: nameOf(el) ?? same(""), assignee: laneAssignee(el, warn) };
    });

  const elements = list(process, "flowElements");
  const flows = elements.filter((e) => e.$type === "bpmn:SequenceFlow");
  const degree = (id: string | undefined, side: "sourceRef" | "targetRef") => flows.filter((f) => child(f, side)?.id === id).length;
  const nodes: WorkflowNode[] = [];
  const edges: Edge[] = [];
  // BPMN id → Masar node id on each side of a flow (differs for a split mixed gateway).
  const inbound = new Map<string, string>();
  const outbound = new Map<string, string>();
  const defaults = new Set<string>();
  // Exclusive gateways that only merge paths (one way out): Masar steps accept several
  // incoming flows, so the gateway is dropped and its incoming flows go straight on.
  const merges = new Map<string, ModdleElement>();

  for (const el of elements) {
    if (el.$type === "bpmn:SequenceFlow" || !el.id) continue;
    if ((el.$type === "bpmn:ExclusiveGateway" || OTHER_GATEWAYS.has(el.$type)) && degree(el.id, "sourceRef") === 1) {
      merges.set(el.id, flows.find((f) => child(f, "sourceRef")?.id === el.id)!);
      warn({ code: "merge_gateway_removed", elementId: el.id });
      continue;
    }
    const mapped = mapNode(el, warn, degree(el.id, "targetRef"), degree(el.id, "sourceRef"));
    if (!mapped) continue;
    const id = ids(el.id);
    const bounds = di.shapes.get(el.id);
    const base = {
      id,
      name: nameOf(el) ?? same(""),
      ...(bounds ? { position: { x: bounds.x, y: bounds.y } } : {}),
      ...(laneOf.has(el.id) ? { lane: laneOf.get(el.id) } : {}),
      ...documentationOf(el, masarProperties(el)),
    };
    warnForeignExtensions(el, warn);
    const defaultFlow = child(el, "default")?.id;
    if (defaultFlow) defaults.add(defaultFlow);
    if (mapped.kind === "parallel" && mapped.direction === "mixed") {
      // BPMN allows a gateway that joins and splits at once; Masar keeps the two apart.
      warn({ code: "mixed_gateway_split", elementId: el.id });
      const splitId = ids(`${el.id}_split`);
      nodes.push(finish(nodeSchema, { ...base, kind: "parallel", direction: "join" }, undefined, el, warn));
      const splitPos = bounds ? { position: { x: bounds.x + 80, y: bounds.y } } : {};
      nodes.push(finish(nodeSchema, { ...base, ...splitPos, id: splitId, kind: "parallel", direction: "split" }, undefined, el, warn));
      edges.push({ id: ids(`${el.id}_to_split`), source: id, target: splitId });
      inbound.set(el.id, id);
      outbound.set(el.id, splitId);
      continue;
    }
    nodes.push(finish(nodeSchema, { ...base, ...mapped }, masarProperties(el), el, warn));
    inbound.set(el.id, id);
    outbound.set(el.id, id);
  }

  for (const flow of flows) {
    const sourceId = child(flow, "sourceRef")?.id ?? "";
    if (merges.has(sourceId)) continue;
    // Follow merge gateways to the real target; the route keeps their positions as bends.
    let points = di.edges.get(flow.id ?? "");
    let targetId = child(flow, "targetRef")?.id ?? "";
    for (let hops = 0; merges.has(targetId) && hops < merges.size; hops++) {
      const onward = merges.get(targetId)!;
      const more = di.edges.get(onward.id ?? "");
      points = points && more ? [...points, ...more.slice(1)] : undefined;
      targetId = child(onward, "targetRef")?.id ?? "";
    }
    const source = outbound.get(sourceId);
    const target = inbound.get(targetId);
    if (!source || !target) {
      warn({ code: "flow_dropped", elementId: flow.id });
      continue;
    }
    const candidate: Record<string, unknown> = {
      id: ids(flow.id),
      source,
      target,
      ...(nameOf(flow) ? { name: nameOf(flow) } : {}),
      ...conditionOf(flow, warn),
      ...(defaults.has(flow.id ?? "") ? { isDefault: true } : {}),
      // The first and last waypoints dock on the shapes; Masar keeps only the bends.
      ...(points && points.length > 2 ? { waypoints: points.slice(1, -1) } : {}),
    };
    edges.push(finish(edgeSchema, candidate, masarProperties(flow), flow, warn));
  }

  const processProps = masarProperties(process) ?? {};
  const key = options.key ?? slugify(process.id ?? "") ?? slugify(participant?.id ?? "") ?? "imported-process";
  if (!options.key && key !== process.id) warn({ code: "key_derived", elementId: process.id, params: { key } });
  const fallbackName = text(process, "name") ?? text(participant, "name") ?? text(defs, "name") ?? process.id ?? key;
  const result = definitionGraph.safeParse({
    key,
    name: nameOf(process) ?? nameOf(participant) ?? same(fallbackName.slice(0, 500)),
    ...(processProps.description ? { description: processProps.description } : {}),
    ...(processProps.direction ? { direction: processProps.direction } : {}),
    lanes,
    nodes,
    edges,
  });
  if (!result.success) {
    const first = result.error.issues[0];
    throw new BpmnImportError("invalid_result", first ? `${first.path.join(".")}: ${first.message}` : undefined);
  }
  return { graph: result.data, warnings };
}

async function parse(xml: string, warn: (w: BpmnWarning) => void): Promise<ModdleElement> {
  const moddle = createModdle();
  try {
    const parsed = await moddle.fromXML(xml, "bpmn:Definitions");
    for (const w of parsed.warnings) warn({ code: "parser_warning", params: { message: oneLine(w.message) } });
    return parsed.rootElement;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/failed to parse document as <bpmn:Definitions>/.test(message)) {
      const why = (error as { warnings?: { message: string }[] }).warnings?.[0]?.message;
      throw new BpmnImportError(/unclosed|unexpected end|missing/i.test(why ?? "") ? "malformed_xml" : "not_bpmn", why ? oneLine(why) : undefined);
    }
    throw new BpmnImportError("malformed_xml", oneLine(message));
  }
}

/** moddle's messages span lines ("…\n\tline: 3\n\tcolumn: 7…"); one line reads better in a list. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ", ").slice(0, 300);
}

function readDiagram(defs: ModdleElement) {
  const shapes = new Map<string, Bounds>();
  const edges = new Map<string, Point[]>();
  const num = (v: unknown) => (typeof v === "number" ? v : Number(v ?? 0));
  for (const diagram of list(defs, "diagrams")) {
    for (const pe of list(child(diagram, "plane"), "planeElement")) {
      const target = child(pe, "bpmnElement")?.id;
      if (!target) continue;
      const b = child(pe, "bounds");
      if (pe.$type === "bpmndi:BPMNShape" && b) shapes.set(target, { x: num(b.x), y: num(b.y), width: num(b.width), height: num(b.height) });
      if (pe.$type === "bpmndi:BPMNEdge") edges.set(target, list(pe, "waypoint").map((w) => ({ x: num(w.x), y: num(w.y) })));
    }
  }
  return { shapes, edges };
}

/** BPMN ids are NCNames; Masar's are shorter and stricter. Renames keep ids unique. */
function idMapper(warn: (w: BpmnWarning) => void) {
  const map = new Map<string, string>();
  const used = new Set<string>();
  return (bpmnId: string | undefined): string => {
    const original = bpmnId ?? "element";
    const known = map.get(original);
    if (known) return known;
    let id = ID.test(original) ? original : original.replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^([^A-Za-z_])/, "_$1").slice(0, 60) || "element";
    for (let n = 2; used.has(id); n++) id = `${id.slice(0, 58)}_${n}`;
    if (id !== original) warn({ code: "id_renamed", elementId: original, params: { id } });
    map.set(original, id);
    used.add(id);
    return id;
  };
}

function leafLanes(laneSets: ModdleElement[], warn: (w: BpmnWarning) => void): ModdleElement[] {
  const out: ModdleElement[] = [];
  for (const set of laneSets) {
    for (const lane of list(set, "lanes")) {
      const nested = list(child(lane, "childLaneSet"), "lanes");
      if (nested.length) {
        warn({ code: "nested_lanes_flattened", elementId: lane.id });
        out.push(...leafLanes([child(lane, "childLaneSet")!], warn));
      } else out.push(lane);
    }
  }
  return out;
}

/**
 * Who acts in a lane: masar:roleKey or masar:unitCode when the file came from Masar (or
 * was annotated); otherwise a role key derived from the lane's name, or its id when the
 * name is not Latin, with a warning so the admin maps it to a real role.
 */
function laneAssignee(lane: ModdleElement, warn: (w: BpmnWarning) => void): Lane["assignee"] {
  const roleKey = text(lane, "roleKey")?.trim();
  if (roleKey) return { type: "role", roleKey: roleKey.slice(0, 64) };
  const unitCode = text(lane, "unitCode")?.trim();
  if (unitCode) return { type: "unit", unitCode: unitCode.slice(0, 20) };
  const candidates = [slugify(text(lane, "name") ?? ""), slugify(lane.id ?? "")].map((s) => s?.slice(0, 41).replace(/-+$/, ""));
  const derived = candidates.find((s) => s && ROLE_KEY.test(s)) ?? "staff";
  warn({ code: "lane_assignee_derived", elementId: lane.id, params: { roleKey: derived } });
  return { type: "role", roleKey: derived };
}

/**
 * BPMN has one name per element. A masar:name extension (written by Masar's export)
 * gives both languages; if the element was renamed elsewhere since, the new name wins.
 */
function nameOf(el: ModdleElement | undefined): Localised | undefined {
  const plain = text(el, "name")?.trim().slice(0, 500);
  const ext = extensionValues(el).find((v) => v.$type === "masar:Name");
  const ar = text(ext, "ar");
  const en = text(ext, "en");
  if (ext && (ar !== undefined || en !== undefined) && (!plain || plain === ar || plain === en)) {
    return { ar: (ar ?? en ?? "").slice(0, 500), en: (en ?? ar ?? "").slice(0, 500) };
  }
  return plain ? same(plain) : undefined;
}

/** Like names: both languages from masar:properties unless the text was edited elsewhere. */
function documentationOf(el: ModdleElement, props: Record<string, unknown> | undefined): { documentation?: Localised } {
  const doc = text(list(el, "documentation")[0], "text")?.trim();
  if (!doc) return {};
  const stored = props?.documentation as Partial<Localised> | undefined;
  if (stored && (stored.ar === doc || stored.en === doc) && typeof stored.ar === "string" && typeof stored.en === "string") {
    return { documentation: { ar: stored.ar, en: stored.en } };
  }
  return { documentation: same(doc.slice(0, 500)) };
}

function masarProperties(el: ModdleElement | undefined): Record<string, unknown> | undefined {
  const ext = extensionValues(el).find((v) => v.$type === "masar:Properties");
  const json = text(ext, "json");
  if (!json) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
    return Object.fromEntries(Object.entries(value).filter(([k]) => !RESERVED.has(k)));
  } catch {
    return undefined;
  }
}

function warnForeignExtensions(el: ModdleElement, warn: (w: BpmnWarning) => void) {
  const foreign = extensionValues(el)
    .map((v) => v.$type)
    .filter((t) => !t.startsWith("masar:") && t !== "zeebe:calledElement");
  if (foreign.length) warn({ code: "extension_ignored", elementId: el.id, params: { elements: [...new Set(foreign)].join(", ") } });
}

type Mapped = Record<string, unknown> & { kind: WorkflowNode["kind"]; direction?: string };

/** The Masar kind (and kind-specific fields) of one BPMN flow node, or undefined to skip it. */
function mapNode(el: ModdleElement, warn: (w: BpmnWarning) => void, incoming: number, outgoing: number): Mapped | undefined {
  const type = el.$type;
  const at = { elementId: el.id, params: { type } };
  const eventDefs = list(el, "eventDefinitions");
  if (type === "bpmn:StartEvent" || type === "bpmn:EndEvent") {
    if (eventDefs.length) warn({ code: "event_trigger_ignored", ...at, params: { type: eventDefs[0]!.$type } });
    return { kind: type === "bpmn:StartEvent" ? "start" : "end" };
  }
  if (HUMAN_TASKS.has(type)) return { kind: "task" };
  if (OTHER_TASKS.has(type)) {
    // A Masar export writes plugin actions as service tasks with their type in masar:properties.
    if (masarProperties(el)?.kind !== "action") warn({ code: "task_type_as_human", ...at });
    return { kind: "task" };
  }
  if (EMBEDDED.has(type)) {
    warn({ code: "embedded_subprocess", ...at });
    return { kind: "task" };
  }
  if (type === "bpmn:ExclusiveGateway") return { kind: "decision" };
  if (OTHER_GATEWAYS.has(type)) {
    warn({ code: "gateway_as_exclusive", ...at });
    return { kind: "decision" };
  }
  if (type === "bpmn:ParallelGateway") {
    if (incoming > 1 && outgoing > 1) return { kind: "parallel", direction: "mixed" };
    return { kind: "parallel", direction: incoming > 1 ? "join" : "split" };
  }
  if (type === "bpmn:IntermediateCatchEvent") {
    const timer = eventDefs.find((d) => d.$type === "bpmn:TimerEventDefinition");
    if (timer) return { kind: "timer", duration: timerDuration(el, timer, warn) };
    warn({ code: "catch_event_as_human", ...at, params: { type: eventDefs[0]?.$type ?? type } });
    return { kind: "task" };
  }
  if (type === "bpmn:IntermediateThrowEvent") {
    warn({ code: "throw_event_as_human", ...at });
    return { kind: "task" };
  }
  if (type === "bpmn:BoundaryEvent") {
    warn({ code: "boundary_event_dropped", ...at });
    return undefined;
  }
  if (type === "bpmn:CallActivity") return { kind: "subprocess", definitionKey: calledKey(el, warn) };
  warn({ code: "element_ignored", ...at });
  return undefined;
}

/**
 * Camunda 8 writes a duration either as ISO 8601 ("PT15M") or as a FEEL expression;
 * a literal inside one (`="PT15M"`, `=duration("PT15M")`) is understood, anything else
 * (dates, cycles, computed expressions) becomes PT0S with a warning to fix it.
 */
function timerDuration(el: ModdleElement, timer: ModdleElement, warn: (w: BpmnWarning) => void): string {
  const raw = text(child(timer, "timeDuration"), "body")?.trim();
  if (!raw) {
    warn({ code: "timer_not_duration", elementId: el.id });
    return "PT0S";
  }
  let value = raw;
  if (raw.startsWith("=")) {
    const literal = /^=\s*(?:duration\(\s*)?"(P[^"]*)"\s*\)?\s*$/.exec(raw);
    if (!literal) {
      warn({ code: "timer_expression", elementId: el.id, params: { expression: raw.slice(0, 200) } });
      return "PT0S";
    }
    value = literal[1]!;
  }
  if (isoDuration.safeParse(value).success) return value;
  warn({ code: "timer_not_duration", elementId: el.id, params: { value: value.slice(0, 200) } });
  return "PT0S";
}

function calledKey(el: ModdleElement, warn: (w: BpmnWarning) => void): string {
  const zeebe = extensionValues(el).find((v) => v.$type === "zeebe:calledElement");
  const raw = (text(zeebe, "processId") ?? text(el, "calledElement"))?.trim().replace(/^=\s*"?|"$/g, "");
  const key = raw ? slugify(raw) : undefined;
  if (!key) {
    const fallback = slugify(el.id ?? "") ?? "subprocess";
    warn({ code: "call_activity_no_target", elementId: el.id, params: { key: fallback } });
    return fallback;
  }
  if (key !== raw) warn({ code: "called_element_renamed", elementId: el.id, params: { from: raw ?? "", to: key } });
  return key;
}

function conditionOf(flow: ModdleElement, warn: (w: BpmnWarning) => void): { condition?: string } {
  const body = text(child(flow, "conditionExpression"), "body")?.trim();
  if (!body) return {};
  if (body.startsWith("=")) return { condition: body.slice(1).trim().slice(0, 2000) };
  // Camunda 7 wrote JUEL (${…}); Masar evaluates FEEL only, so it is kept for the admin to rewrite.
  if (/^[$#]\{/.test(body)) warn({ code: "condition_not_feel", elementId: flow.id, params: { expression: body.slice(0, 200) } });
  return { condition: body.slice(0, 2000) };
}

/** Validates one node or edge; masar:properties that no longer fit are dropped with a warning. */
function finish<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  candidate: Record<string, unknown>,
  props: Record<string, unknown> | undefined,
  el: ModdleElement,
  warn: (w: BpmnWarning) => void,
): T {
  if (props) {
    // What BPMN itself says (names, layout, structure) wins over the stored extras, except
    // that a human task may be a Masar gate or a plugin action BPMN has no shape for.
    const kind = candidate.kind === "task" && (props.kind === "gate" || props.kind === "action") ? { kind: props.kind } : {};
    const withProps = schema.safeParse({ ...props, ...candidate, ...kind });
    if (withProps.success) return withProps.data;
    warn({ code: "masar_properties_invalid", elementId: el.id });
  }
  const plain = schema.safeParse(candidate);
  if (plain.success) return plain.data;
  const first = plain.error.issues[0];
  throw new BpmnImportError("invalid_result", `${el.id}: ${first ? `${first.path.map(String).join(".")}: ${first.message}` : "invalid"}`);
}
