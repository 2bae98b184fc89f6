import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BpmnImportError, exportBpmn, importBpmn } from "./bpmn";
import type { DefinitionGraph } from "./definition";
import { hasErrors } from "./problems";
import { runtime } from "./runtime";
import type { CaseState, Completion } from "./runtime-types";
import { validateDefinition } from "./validate";

const fixture = readFileSync(new URL("../../test/fixtures/bpmn/social-aid-request.bpmn", import.meta.url), "utf8");

const codes = (warnings: { code: string; elementId?: string }[]) => warnings.map((w) => `${w.code}:${w.elementId ?? ""}`);

describe("importBpmn (Camunda Modeler file)", () => {
  it("maps events, tasks, gateways, timer, call activity, lanes, conditions and layout", async () => {
    const { graph, warnings } = await importBpmn(fixture);
    expect(graph.key).toBe("process-aid-request");
    expect(graph.name).toEqual({ ar: "طلب مساعدة اجتماعية", en: "طلب مساعدة اجتماعية" });
    const kinds = Object.fromEntries(graph.nodes.map((n) => [n.id, n.kind === "parallel" ? `parallel-${n.direction}` : n.kind]));
    expect(kinds).toEqual({
      StartEvent_1: "start",
      Activity_receive: "task",
      Gateway_complete: "decision",
      Activity_request_docs: "task",
      Gateway_split: "parallel-split",
      Activity_visit: "task",
      Activity_check: "task",
      Gateway_join: "parallel-join",
      Activity_committee: "task",
      Gateway_approved: "decision",
      Event_wait: "timer",
      Activity_payment: "subprocess",
      EndEvent_approved: "end",
      EndEvent_rejected: "end",
    });
    const node = (id: string) => graph.nodes.find((n) => n.id === id)!;
    expect(node("Event_wait")).toMatchObject({ kind: "timer", duration: "P3D" });
    expect(node("Activity_payment")).toMatchObject({ kind: "subprocess", definitionKey: "aid-payment" });
    expect(node("Activity_visit").documentation?.ar).toBe("زيارة المتقدم في منزله وتوثيق حالته");
    // The one BPMN name goes into both languages.
    expect(node("Activity_receive").name).toEqual({ ar: "تسجيل الطلب", en: "تسجيل الطلب" });
    // Shape bounds → top-left positions.
    expect(node("Gateway_split").position).toEqual({ x: 575, y: 335 });
    expect(node("EndEvent_rejected").position).toEqual({ x: 1192, y: 600 });

    const edge = (id: string) => graph.edges.find((e) => e.id === id)!;
    expect(edge("Flow_complete")).toMatchObject({ source: "Gateway_complete", target: "Gateway_split", condition: "documentsComplete = true", name: { ar: "نعم", en: "نعم" } });
    expect(edge("Flow_incomplete").isDefault).toBe(true);
    expect(edge("Flow_approved").condition).toBe('decision = "approved" and amount <= 5000');
    expect(edge("Flow_rejected").isDefault).toBe(true);
    // Docking points dropped, bends kept.
    expect(edge("Flow_join_committee").waypoints).toEqual([
      { x: 905, y: 360 },
      { x: 905, y: 555 },
    ]);
    expect(edge("Flow_1").waypoints).toBeUndefined();

    // Lanes in their drawn order (top to bottom), with flowNodeRefs as node lanes.
    expect(graph.lanes.map((l) => [l.id, l.assignee])).toEqual([
      ["Lane_reception", { type: "unit", unitCode: "01" }],
      ["Lane_research", { type: "role", roleKey: "lane-research" }],
      ["Lane_committee", { type: "role", roleKey: "research-committee" }],
    ]);
    expect(node("Activity_check").lane).toBe("Lane_research");
    expect(node("Activity_committee").lane).toBe("Lane_committee");

    expect(codes(warnings).sort()).toEqual(
      [
        "element_ignored:TextAnnotation_1note",
        "lane_assignee_derived:Lane_research",
        "lane_assignee_derived:Lane_committee",
        "extension_ignored:Activity_receive",
        "extension_ignored:Activity_committee",
        "key_derived:Process_aid_request",
      ].sort(),
    );
  });

  it("round-trips import → export → import without losing nodes, conditions, lanes or layout", async () => {
    const first = await importBpmn(fixture);
    const xml = await exportBpmn(first.graph);
    expect(xml).toContain('<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=documentsComplete = true</bpmn:conditionExpression>');
    expect(xml).toContain('default="Flow_incomplete"');
    expect(xml).toContain('<zeebe:calledElement processId="aid-payment"');
    expect(xml).toContain('modeler:executionPlatform="Camunda Cloud"');
    const second = await importBpmn(xml);
    expect(second.graph).toEqual(first.graph);
    // Everything Masar needs came back from its own extension: nothing was guessed.
    expect(second.warnings).toEqual([]);
  });

  it("imports, validates and runs to completion with the engine", async () => {
    const { graph } = await importBpmn(fixture);
    const refs = {
      roleExists: (k: string) => ["lane-research", "research-committee"].includes(k),
      unitExists: (c: string) => c === "01",
      definitionExists: (k: string) => k === "aid-payment",
    };
    const problems = validateDefinition(graph, refs);
    expect(problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(hasErrors(problems)).toBe(false);

    let n = 0;
    const ctx = { now: new Date("2026-01-04T08:00:00Z"), newId: () => `t${++n}` };
    const data = { documentsComplete: false, decision: "approved", amount: 3000 };
    let { state } = runtime.start(graph, data, ctx);
    const at = (s: CaseState) => s.tokens.map((t) => t.nodeId).sort();
    const done = (s: CaseState, nodeId: string, completion: Completion, d = data) =>
      runtime.complete(graph, s, s.tokens.find((t) => t.nodeId === nodeId)!.id, completion, d, ctx).state;
    expect(at(state)).toEqual(["Activity_receive"]);
    // Incomplete documents: the default flow asks for them, then back to registration.
    state = done(state, "Activity_receive", { kind: "task", data: {} });
    expect(at(state)).toEqual(["Activity_request_docs"]);
    state = done(state, "Activity_request_docs", { kind: "task", data: {} });
    const complete = { ...data, documentsComplete: true };
    state = done(state, "Activity_receive", { kind: "task", data: {} }, complete);
    expect(at(state)).toEqual(["Activity_check", "Activity_visit"]);
    state = done(state, "Activity_visit", { kind: "task", data: {} }, complete);
    expect(at(state)).toEqual(["Activity_check"]);
    state = done(state, "Activity_check", { kind: "task", data: {} }, complete);
    expect(at(state)).toEqual(["Activity_committee"]);
    state = done(state, "Activity_committee", { kind: "task", data: {} }, complete);
    expect(at(state)).toEqual(["Event_wait"]);
    state = done(state, "Event_wait", { kind: "timer" }, complete);
    expect(at(state)).toEqual(["Activity_payment"]);
    state = done(state, "Activity_payment", { kind: "subprocess", data: {} }, complete);
    expect(state.status).toBe("completed");
  });
});

describe("importBpmn edge cases", () => {
  const wrap = (body: string, extra = "") => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="D" targetNamespace="t"${extra}>
<bpmn:process id="p" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;

  it("refuses malformed XML and non-BPMN XML with a clear code", async () => {
    await expect(importBpmn("<bpmn:definitions><oops")).rejects.toMatchObject({ code: "malformed_xml" });
    await expect(importBpmn("not xml at all")).rejects.toBeInstanceOf(BpmnImportError);
    await expect(importBpmn('<?xml version="1.0"?><html><body/></html>')).rejects.toMatchObject({ code: "not_bpmn" });
    await expect(importBpmn(wrap(""))).rejects.toMatchObject({ code: "no_process" });
  });

  it("turns unsupported elements into warnings, never a crash", async () => {
    const { graph, warnings } = await importBpmn(
      wrap(`
      <bpmn:startEvent id="s"><bpmn:messageEventDefinition/></bpmn:startEvent>
      <bpmn:serviceTask id="svc" name="Send email"/>
      <bpmn:subProcess id="sub"><bpmn:task id="inner"/></bpmn:subProcess>
      <bpmn:inclusiveGateway id="inc"/>
      <bpmn:boundaryEvent id="b" attachedToRef="svc"><bpmn:timerEventDefinition/></bpmn:boundaryEvent>
      <bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="cycle"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="expr"><bpmn:timerEventDefinition><bpmn:timeDuration>=duration("PT2H")</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="computed"><bpmn:timerEventDefinition><bpmn:timeDuration>=waitTime</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:callActivity id="call"/>
      <bpmn:dataObjectReference id="doc"/>
      <bpmn:endEvent id="e"/>
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="svc"/>
      <bpmn:sequenceFlow id="f2" sourceRef="b" targetRef="e"/>
      <bpmn:sequenceFlow id="f3" sourceRef="inc" targetRef="e"><bpmn:conditionExpression>\${approved}</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="f4" sourceRef="inc" targetRef="msg"/>
      <bpmn:unknownThing id="u"/>`),
    );
    expect(codes(warnings)).toEqual(
      expect.arrayContaining([
        "event_trigger_ignored:s",
        "task_type_as_human:svc",
        "embedded_subprocess:sub",
        "gateway_as_exclusive:inc",
        "boundary_event_dropped:b",
        "catch_event_as_human:msg",
        "timer_not_duration:cycle",
        "timer_expression:computed",
        "call_activity_no_target:call",
        "element_ignored:doc",
        "flow_dropped:f2",
        "condition_not_feel:f3",
        "parser_warning:",
        "no_diagram:",
      ]),
    );
    const node = (id: string) => graph.nodes.find((n) => n.id === id);
    expect(node("expr")).toMatchObject({ kind: "timer", duration: "PT2H" });
    expect(node("cycle")).toMatchObject({ kind: "timer", duration: "PT0S" });
    expect(node("b")).toBeUndefined();
    expect(node("call")).toMatchObject({ kind: "subprocess", definitionKey: "call" });
    // The JUEL expression is kept for the admin to rewrite; validation will reject it.
    expect(graph.edges.find((e) => e.id === "f3")?.condition).toBe("${approved}");
  });

  it("splits a gateway that joins and splits at once, and drops exclusive merges", async () => {
    const { graph, warnings } = await importBpmn(
      wrap(`
      <bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/><bpmn:task id="a" name="A"/><bpmn:task id="b" name="B"/>
      <bpmn:parallelGateway id="mixed"/><bpmn:task id="c" name="C"/><bpmn:task id="d" name="D"/>
      <bpmn:parallelGateway id="join"/><bpmn:exclusiveGateway id="merge"/><bpmn:endEvent id="e"/>
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="fork"/>
      <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="a"/><bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="b"/>
      <bpmn:sequenceFlow id="f4" sourceRef="a" targetRef="mixed"/><bpmn:sequenceFlow id="f5" sourceRef="b" targetRef="mixed"/>
      <bpmn:sequenceFlow id="f6" sourceRef="mixed" targetRef="c"/><bpmn:sequenceFlow id="f7" sourceRef="mixed" targetRef="d"/>
      <bpmn:sequenceFlow id="f8" sourceRef="c" targetRef="join"/><bpmn:sequenceFlow id="f9" sourceRef="d" targetRef="join"/>
      <bpmn:sequenceFlow id="f10" sourceRef="join" targetRef="merge"/><bpmn:sequenceFlow id="f11" sourceRef="merge" targetRef="e"/>`),
    );
    expect(codes(warnings)).toEqual(expect.arrayContaining(["mixed_gateway_split:mixed", "merge_gateway_removed:merge"]));
    expect(graph.nodes.find((n) => n.id === "mixed")).toMatchObject({ kind: "parallel", direction: "join" });
    expect(graph.nodes.find((n) => n.id === "mixed_split")).toMatchObject({ kind: "parallel", direction: "split" });
    expect(graph.edges.find((e) => e.id === "f6")?.source).toBe("mixed_split");
    expect(graph.edges.find((e) => e.id === "f10")?.target).toBe("e");
    expect(graph.nodes.some((n) => n.id === "merge")).toBe(false);
    const errors = validateDefinition(graph).filter((p) => p.severity === "error" && !p.code.startsWith("label_"));
    expect(errors).toEqual([]);
  });

  it("renames ids Masar cannot hold and keeps them unique", async () => {
    const long = `T${"x".repeat(80)}`;
    const { graph, warnings } = await importBpmn(
      wrap(`<bpmn:startEvent id="s"/><bpmn:task id="${long}" name="t"/><bpmn:endEvent id="e"/>
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="${long}"/><bpmn:sequenceFlow id="f2" sourceRef="${long}" targetRef="e"/>`),
    );
    const renamed = graph.nodes.find((n) => n.kind === "task")!.id;
    expect(renamed.length).toBeLessThanOrEqual(64);
    expect(graph.edges.find((e) => e.id === "f1")?.target).toBe(renamed);
    expect(codes(warnings)).toContain(`id_renamed:${long}`);
  });
});

describe("exportBpmn (Masar graph)", () => {
  const graph: DefinitionGraph = {
    key: "grant-partnership",
    name: { ar: "اعتماد شراكة", en: "Approve a partnership" },
    description: { ar: "وصف", en: "Description" },
    direction: "rtl",
    lanes: [
      { id: "l1", name: { ar: "الشراكات", en: "Partnerships" }, assignee: { type: "unit", unitCode: "12" } },
      { id: "l2", name: { ar: "المدير", en: "Manager" }, assignee: { type: "role", roleKey: "manager" } },
    ],
    nodes: [
      { id: "start", kind: "start", name: { ar: "", en: "" } },
      {
        id: "t1",
        kind: "task",
        name: { ar: "دراسة الطلب", en: "Study the request" },
        lane: "l1",
        form: "partner-request",
        estimatedMinutes: 4,
        instructions: { ar: "ادرس", en: "Study" },
        inputs: { ar: "الطلب", en: "The request" },
        producesDocument: true,
        priority: "high",
        due: "P2D",
        documentation: { ar: "توثيق", en: "Docs" },
      },
      {
        id: "g1",
        kind: "gate",
        name: { ar: "بوابة الاختيار", en: "Selection gate" },
        lane: "l2",
        approverRole: "manager",
        checklist: [{ id: "c1", label: { ar: "تقييم المخاطر", en: "Risk assessment" }, required: true }],
        requiredForms: ["swot"],
        requiredDocuments: [],
      },
      { id: "a1", kind: "action", name: { ar: "إشعار", en: "Notify" }, lane: "l1", actionType: "notices.send", config: { template: "x" } },
      { id: "end", kind: "end", name: { ar: "", en: "" } },
    ],
    edges: [
      { id: "e1", source: "start", target: "t1" },
      { id: "e2", source: "t1", target: "g1" },
      { id: "e3", source: "g1", target: "a1", outcome: "go", name: { ar: "اعتماد", en: "Go" } },
      { id: "e4", source: "g1", target: "end", outcome: "no-go" },
      { id: "e5", source: "g1", target: "t1", outcome: "rework", waypoints: [{ x: 10, y: 20 }] },
      { id: "e6", source: "a1", target: "end" },
    ],
  };

  it("keeps both languages, gates, actions and task details through masar extensions", async () => {
    const xml = await exportBpmn(graph, { locale: "en" });
    expect(xml).toContain('name="Study the request"');
    expect(xml).toContain('<masar:name ar="دراسة الطلب" en="Study the request" />');
    expect(xml).toContain('masar:unitCode="12"');
    const back = await importBpmn(xml);
    // Nodes without a position got one from the automatic layout; otherwise identical.
    const strip = (g: DefinitionGraph) => ({ ...g, nodes: g.nodes.map(({ position: _p, ...n }) => n) });
    expect(strip(back.graph)).toEqual(strip(graph));
    expect(back.graph.nodes.every((n) => n.position)).toBe(true);
    expect(back.warnings).toEqual([]);
  });

  it("writes Arabic names by default", async () => {
    const xml = await exportBpmn(graph);
    expect(xml).toContain('name="دراسة الطلب"');
  });
});
