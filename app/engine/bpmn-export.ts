import type { BpmnModdle, ModdleElement } from "bpmn-moddle";
import type { DefinitionGraph, Localised, WorkflowNode } from "./definition";
import { createModdle, ZEEBE_NS } from "./bpmn-model";
import { diagramLayout, edgePoints, type Bounds } from "./geometry";

// Masar definition → BPMN 2.0 XML that Camunda Modeler (Camunda 8 flavour) opens: lanes
// inside a pool, "=" prefixed FEEL conditions, zeebe:calledElement on call activities and
// a diagram built from the stored positions. What BPMN cannot express travels in
// masar:name / masar:properties so that importing the file again loses nothing.


// Fields that BPMN carries itself; everything else of a node goes into masar:properties.
const NODE_BPMN_FIELDS = new Set(["id", "kind", "name", "position", "lane"]);
const KIND_BPMN_FIELDS: Partial<Record<WorkflowNode["kind"], string[]>> = { timer: ["duration"], subprocess: ["definitionKey"] };
const EDGE_BPMN_FIELDS = new Set(["id", "source", "target", "name", "condition", "isDefault", "waypoints"]);

export async function exportBpmn(graph: DefinitionGraph, options: { locale?: "ar" | "en" } = {}): Promise<string> {
  const moddle = createModdle();
  const locale = options.locale ?? "ar";
  const label = (l: Localised | undefined) => (l ? l[locale] || l[locale === "ar" ? "en" : "ar"] : undefined) || undefined;
  const unique = uniqueIds();
  const ext = (name: Localised | undefined, props: Record<string, unknown> | undefined, extra: ModdleElement[] = []) => {
    const values = [...extra];
    // One language only (ar = en) needs no extension: the plain name says it all.
    if (name && name.ar !== name.en) values.push(moddle.create("masar:Name", { ar: name.ar, en: name.en }));
    if (props && Object.keys(props).length) values.push(moddle.create("masar:Properties", { json: JSON.stringify(props) }));
    return values.length ? { extensionElements: moddle.create("bpmn:ExtensionElements", { values }) } : {};
  };

  const elements = new Map<string, ModdleElement>();
  for (const node of graph.nodes) {
    const props = Object.fromEntries(
      Object.entries(node).filter(([k, v]) => v !== undefined && !NODE_BPMN_FIELDS.has(k) && !KIND_BPMN_FIELDS[node.kind]?.includes(k)),
    );
    if (node.documentation?.ar === node.documentation?.en) delete props.documentation;
    // Gates and actions have no BPMN shape: a user / service task that remembers its kind.
    if (node.kind === "gate" || node.kind === "action") props.kind = node.kind;
    const attrs = {
      id: unique(node.id),
      name: label(node.name),
      ...(node.documentation ? { documentation: [moddle.create("bpmn:Documentation", { text: label(node.documentation) })] } : {}),
    };
    elements.set(node.id, createNode(moddle, node, attrs, (extra) => ext(node.name, props, extra)));
  }

  const flows = new Map<string, ModdleElement>();
  for (const edge of graph.edges) {
    const source = elements.get(edge.source);
    const target = elements.get(edge.target);
    if (!source || !target) continue;
    const props = Object.fromEntries(Object.entries(edge).filter(([k, v]) => v !== undefined && !EDGE_BPMN_FIELDS.has(k)));
    const flow = moddle.create("bpmn:SequenceFlow", {
      id: unique(edge.id),
      name: label(edge.name),
      sourceRef: source,
      targetRef: target,
      ...(edge.condition ? { conditionExpression: moddle.create("bpmn:FormalExpression", { body: `=${edge.condition}` }) } : {}),
      ...ext(edge.name, props),
    });
    (source.outgoing as ModdleElement[]).push(flow);
    (target.incoming as ModdleElement[]).push(flow);
    if (edge.isDefault) source.default = flow;
    flows.set(edge.id, flow);
  }

  const processProps = { ...(graph.description ? { description: graph.description } : {}), direction: graph.direction };
  const process = moddle.create("bpmn:Process", {
    id: unique(graph.key),
    name: label(graph.name),
    isExecutable: true,
    flowElements: [...elements.values(), ...flows.values()],
    ...ext(graph.name, processProps),
  });

  const layout = diagramLayout(graph);
  const laneEls = graph.lanes.map((lane) =>
    moddle.create("bpmn:Lane", {
      id: unique(lane.id),
      name: label(lane.name),
      ...(lane.assignee.type === "role" ? { roleKey: lane.assignee.roleKey } : { unitCode: lane.assignee.unitCode }),
      flowNodeRef: graph.nodes.filter((n) => n.lane === lane.id).map((n) => elements.get(n.id)!),
      ...ext(lane.name, undefined),
    }),
  );
  const planeElements: ModdleElement[] = [];
  const shape = (el: ModdleElement, b: Bounds, extra: Record<string, unknown> = {}) =>
    planeElements.push(moddle.create("bpmndi:BPMNShape", { id: unique(`${el.id}_di`), bpmnElement: el, bounds: moddle.create("dc:Bounds", { ...b }), ...extra }));

  let collaboration: ModdleElement | undefined;
  if (laneEls.length) {
    // Camunda Modeler shows lanes only inside a pool (a participant of a collaboration).
    process.laneSets = [moddle.create("bpmn:LaneSet", { id: unique(`${graph.key}_lanes`), lanes: laneEls })];
    const participant = moddle.create("bpmn:Participant", { id: unique(`${graph.key}_pool`), name: label(graph.name), processRef: process });
    collaboration = moddle.create("bpmn:Collaboration", { id: unique(`${graph.key}_collaboration`), participants: [participant] });
    shape(participant, layout.pool, { isHorizontal: true });
    graph.lanes.forEach((lane, i) => shape(laneEls[i]!, layout.lanes.get(lane.id)!, { isHorizontal: true }));
  }
  for (const node of graph.nodes) {
    const el = elements.get(node.id)!;
    shape(el, layout.nodes.get(node.id)!, node.kind === "decision" ? { isMarkerVisible: true } : {});
  }
  graph.edges.forEach((edge) => {
    const flow = flows.get(edge.id);
    if (!flow) return;
    const points = edgePoints(edge, layout.nodes.get(edge.source)!, layout.nodes.get(edge.target)!);
    planeElements.push(
      moddle.create("bpmndi:BPMNEdge", { id: unique(`${flow.id}_di`), bpmnElement: flow, waypoint: points.map((p) => moddle.create("dc:Point", p)) }),
    );
  });

  const plane = moddle.create("bpmndi:BPMNPlane", { id: unique("BPMNPlane_1"), bpmnElement: collaboration ?? process, planeElement: planeElements });
  const definitions = moddle.create("bpmn:Definitions", {
    id: unique(`Definitions_${graph.key}`),
    targetNamespace: "http://bpmn.io/schema/bpmn",
    exporter: "Masar",
    exporterVersion: "1",
    rootElements: collaboration ? [collaboration, process] : [process],
    diagrams: [moddle.create("bpmndi:BPMNDiagram", { id: unique("BPMNDiagram_1"), plane })],
  });
  // Tells Camunda Modeler to open the file as a Camunda 8 diagram (FEEL, zeebe extensions).
  Object.assign(definitions.$attrs ?? {}, {
    "xmlns:modeler": "http://camunda.org/schema/modeler/1.0",
    "modeler:executionPlatform": "Camunda Cloud",
    "modeler:executionPlatformVersion": "8.5.0",
  });
  const { xml } = await moddle.toXML(definitions, { format: true });
  return xml;
}

function createNode(
  moddle: BpmnModdle,
  node: WorkflowNode,
  attrs: Record<string, unknown>,
  ext: (extra?: ModdleElement[]) => Record<string, unknown>,
): ModdleElement {
  const common = { ...attrs, incoming: [], outgoing: [] };
  switch (node.kind) {
    case "start":
      return moddle.create("bpmn:StartEvent", { ...common, ...ext() });
    case "end":
      return moddle.create("bpmn:EndEvent", { ...common, ...ext() });
    case "task":
    case "gate":
      return moddle.create("bpmn:UserTask", { ...common, ...ext() });
    case "action":
      return moddle.create("bpmn:ServiceTask", { ...common, ...ext() });
    case "decision":
      return moddle.create("bpmn:ExclusiveGateway", { ...common, ...ext() });
    case "parallel":
      return moddle.create("bpmn:ParallelGateway", { ...common, gatewayDirection: node.direction === "join" ? "Converging" : "Diverging", ...ext() });
    case "timer": {
      const timeDuration = moddle.create("bpmn:FormalExpression", { body: node.duration });
      const definition = moddle.create("bpmn:TimerEventDefinition", { timeDuration });
      return moddle.create("bpmn:IntermediateCatchEvent", { ...common, eventDefinitions: [definition], ...ext() });
    }
    case "subprocess": {
      const called = moddle.createAny("zeebe:calledElement", ZEEBE_NS, { processId: node.definitionKey, propagateAllChildVariables: "false" });
      return moddle.create("bpmn:CallActivity", { ...common, calledElement: node.definitionKey, ...ext([called]) });
    }
  }
}

/** Ids unique across the document (BPMN requires it; Masar's nodes, edges and lanes are separate). */
function uniqueIds() {
  const used = new Set<string>();
  const given = new Map<string, string>();
  const fn = (wanted: string): string => {
    const known = given.get(wanted);
    if (known) return known;
    let id = /^[A-Za-z_]/.test(wanted) ? wanted : `_${wanted}`;
    for (let n = 2; used.has(id); n++) id = `${wanted}_${n}`;
    used.add(id);
    given.set(wanted, id);
    return id;
  };
  return fn;
}
