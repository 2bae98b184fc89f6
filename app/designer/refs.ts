import type { DefinitionGraph } from "~/engine/definition";
import type { Problem } from "~/engine/problems";
import { validateDefinition, type DefinitionRefs } from "~/engine/validate";

// Live validation in the browser: the same validateDefinition the server runs when saving and
// publishing, with the organisation's forms, roles, units, workflows and runnable action
// types sent by the loader as plain lists (the server's refs are database lookups).

export interface RefLists {
  /** null: the forms module is absent, form references are only warned about (as the server does). */
  forms: string[] | null;
  roles: string[];
  units: string[];
  definitions: string[];
  actionTypes: string[];
}

export function refsFrom(lists: RefLists): DefinitionRefs {
  const roles = new Set(lists.roles);
  const units = new Set(lists.units);
  const defs = new Set(lists.definitions);
  const actions = new Set(lists.actionTypes);
  const forms = lists.forms ? new Set(lists.forms) : null;
  return {
    roleExists: (k) => roles.has(k),
    unitExists: (c) => units.has(c),
    definitionExists: (k) => defs.has(k),
    actionTypeExists: (t) => actions.has(t),
    ...(forms ? { formExists: (k: string) => forms.has(k) } : {}),
  };
}

/** What the server's checkGraph would answer for this graph. */
export function checkLocally(graph: DefinitionGraph, lists: RefLists, refs: DefinitionRefs = refsFrom(lists)): Problem[] {
  const problems = validateDefinition(graph, refs);
  if (!lists.forms) {
    for (const node of graph.nodes) {
      if (node.kind === "task" && node.form) problems.push({ code: "form_missing", severity: "warning", nodeId: node.id, params: { node: node.id, form: node.form } });
    }
  }
  return problems;
}
