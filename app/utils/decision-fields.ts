import type { DefinitionGraph, Localised } from "~/engine/definition";

// Until dynamic forms reach tasks, a person completing a step still has to be able to give
// the answers the next decision depends on ("are the documents complete?"). We read them off
// the definition itself: the simple comparisons in the conditions of the decisions that run
// right after this step (`documentsComplete = true`, `amount > 1000`, `channel = "email"`).
// Anything more complex is left alone — the step then has notes only, never a guessed field.

export type DecisionFieldType = "boolean" | "number" | "string";

export interface DecisionField {
  key: string;
  type: DecisionFieldType;
  /** The question: the decision's name when it is a yes/no on this one field, else null (show the key). */
  label: Localised | null;
  /** The decision that reads the field (shown as "used by …" under other fields). */
  decision: Localised;
  /** String fields: the values the conditions compare against (offered as choices). */
  options: string[];
}

const IDENT = "[A-Za-z_][A-Za-z0-9_]*";
const LITERAL = String.raw`true|false|-?\d+(?:\.\d+)?|"[^"\\]*"`;
const OP = "!=|<=|>=|=|<|>";
const COMPARE = new RegExp(`^(${IDENT})\\s*(?:${OP})\\s*(${LITERAL})$`);
const COMPARE_REVERSED = new RegExp(`^(${LITERAL})\\s*(?:${OP})\\s*(${IDENT})$`);
const BARE = new RegExp(`^(?:not\\s*\\(\\s*(${IDENT})\\s*\\)|(${IDENT}))$`);
const RESERVED = new Set(["true", "false", "null", "not", "and", "or", "if", "then", "else", "for", "in", "some", "every", "satisfies"]);

function literalType(literal: string): { type: DecisionFieldType; value?: string } {
  if (literal === "true" || literal === "false") return { type: "boolean" };
  if (literal.startsWith('"')) return { type: "string", value: literal.slice(1, -1) };
  return { type: "number" };
}

/** The simple comparisons of one FEEL condition: [key, type, string value?]. Unknown shapes give []. */
export function conditionComparisons(condition: string): { key: string; type: DecisionFieldType; value?: string }[] {
  const text = condition.trim().replace(/^=\s*/, ""); // Camunda writes "=expr"
  if (!text) return [];
  const out: { key: string; type: DecisionFieldType; value?: string }[] = [];
  for (const raw of text.split(/\s+(?:and|or)\s+/)) {
    const clause = raw.trim().replace(/^\((.*)\)$/, "$1").trim();
    const direct = COMPARE.exec(clause);
    const reversed = direct ? null : COMPARE_REVERSED.exec(clause);
    const bare = direct || reversed ? null : BARE.exec(clause);
    if (direct) out.push({ key: direct[1]!, ...literalType(direct[2]!) });
    else if (reversed) out.push({ key: reversed[2]!, ...literalType(reversed[1]!) });
    else if (bare) out.push({ key: (bare[1] ?? bare[2])!, type: "boolean" });
  }
  return out.filter((c) => !RESERVED.has(c.key));
}

/**
 * The fields the decisions right after `nodeId` read: follows outgoing edges through
 * decisions and parallel gateways (no person acts there), stopping at the next step.
 */
export function decisionFields(graph: DefinitionGraph, nodeId: string): DecisionField[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>([nodeId]);
  const queue = graph.edges.filter((e) => e.source === nodeId).map((e) => e.target);
  const fields = new Map<string, DecisionField>();
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = byId.get(id);
    if (!node || (node.kind !== "decision" && node.kind !== "parallel")) continue;
    const outgoing = graph.edges.filter((e) => e.source === id);
    if (node.kind === "decision") {
      const found = outgoing.flatMap((e) => (e.condition ? conditionComparisons(e.condition) : []));
      const keys = new Set(found.map((c) => c.key));
      for (const c of found) {
        const existing = fields.get(c.key);
        // "Is the amount large?" names a yes/no well, but is no label for the amount itself.
        const field = existing ?? { key: c.key, type: c.type, label: keys.size === 1 && c.type === "boolean" ? node.name : null, decision: node.name, options: [] };
        if (c.value !== undefined && !field.options.includes(c.value)) field.options.push(c.value);
        fields.set(c.key, field);
      }
    }
    queue.push(...outgoing.map((e) => e.target));
  }
  return [...fields.values()];
}

/**
 * Form values → typed case data for the given fields; empty answers are left out (the
 * person did not answer). Returns the key of the first value that does not fit its type.
 */
export function parseDecisionAnswers(fields: DecisionField[], values: Record<string, string>): { data: Record<string, unknown>; invalid: string | null } {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = (values[field.key] ?? "").trim();
    if (raw === "") continue;
    if (field.type === "boolean") {
      if (raw !== "true" && raw !== "false") return { data, invalid: field.key };
      data[field.key] = raw === "true";
    } else if (field.type === "number") {
      const n = Number(raw.replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660)));
      if (!Number.isFinite(n)) return { data, invalid: field.key };
      data[field.key] = n;
    } else {
      if (raw.length > 500) return { data, invalid: field.key };
      data[field.key] = raw;
    }
  }
  return { data, invalid: null };
}
