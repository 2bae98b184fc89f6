// What the builder warns about before the server is asked: problems it can point at a
// field for, with a code translated under forms.json "builder.problems.<code>".
import { fieldType } from "./catalogue";
import { conditionSources } from "./model-ops";
import { walkFields, type BuilderModel, type Condition, type FieldNode } from "./model";

export interface BuilderProblem {
  nodeId: string;
  code:
    | "keyInvalid"
    | "keyDuplicate"
    | "labelMissing"
    | "optionsMissing"
    | "optionValueInvalid"
    | "optionDuplicate"
    | "minAboveMax"
    | "patternInvalid"
    | "conditionInvalid"
    | "computeEmpty"
    | "acceptEmpty"
    | "containerEmpty";
  params?: Record<string, string | number>;
}

export const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function rangeProblems(node: FieldNode, add: (code: BuilderProblem["code"], params?: BuilderProblem["params"]) => void) {
  const p = node.props;
  for (const [min, max] of [
    ["minLength", "maxLength"],
    ["minimum", "maximum"],
    ["minItems", "maxItems"],
  ] as const) {
    const lo = p[min];
    const hi = p[max];
    if (lo !== undefined && hi !== undefined && lo > hi) add("minAboveMax", { min: lo, max: hi });
  }
}

export function checkModel(model: BuilderModel): BuilderProblem[] {
  const problems: BuilderProblem[] = [];
  const containers: FieldNode[][] = [model.fields];
  walkFields(model.fields, (node) => {
    const add = (code: BuilderProblem["code"], params?: BuilderProblem["params"]) => problems.push({ nodeId: node.id, code, params });
    if (node.children) containers.push(node.children);
    if (!KEY_PATTERN.test(node.key)) add("keyInvalid");
    if (node.type !== "raw" && !node.label.ar.trim() && !node.label.en.trim()) add("labelMissing");
    const def = fieldType(node.type);
    if (def.props.some((s) => s.name === "options")) {
      const options = node.props.options ?? [];
      if (options.length === 0) add("optionsMissing");
      const values = options.map((o) => o.value);
      if (values.some((v) => !v.trim() || v.length > 100 || v.includes("."))) add("optionValueInvalid");
      const dup = values.find((v, i) => values.indexOf(v) !== i);
      if (dup !== undefined) add("optionDuplicate", { value: dup });
    }
    rangeProblems(node, add);
    if (node.props.pattern !== undefined) {
      try {
        new RegExp(node.props.pattern, "u");
      } catch {
        add("patternInvalid");
      }
    }
    if (node.type === "computed" && !node.props.compute?.trim()) add("computeEmpty");
    if ((node.type === "file" || node.type === "files") && !node.props.accept?.length) add("acceptEmpty");
    if (def.container && node.children?.length === 0) add("containerEmpty");
    const allowed = new Set(conditionSources(model.fields, node.id).map((s) => s.path));
    const bad = (c: Condition | undefined) => !!c && !allowed.has(c.field);
    if (bad(node.visibleWhen) || (typeof node.required === "object" && bad(node.required))) add("conditionInvalid");
  });
  for (const list of containers) {
    const seen = new Map<string, FieldNode>();
    for (const node of list) {
      if (seen.has(node.key)) problems.push({ nodeId: node.id, code: "keyDuplicate", params: { key: node.key } });
      else seen.set(node.key, node);
    }
  }
  return problems;
}
