import { evaluate, parseExpression } from "feelin";

// FEEL conditions on decision edges, evaluated with `feelin` (the FEEL engine of Camunda's
// JavaScript tooling). Server-side only; nothing here ever throws: callers get a result object
// so a broken condition becomes a validation problem or a case incident, never a crash.

export type FeelCheck = { ok: true } | { ok: false; error: string };
export type FeelResult = { ok: true; value: boolean; warnings: string[] } | { ok: false; error: string };

/** Camunda 8 writes expressions as "=amount > 1000"; the "=" marks FEEL, it is not an operator. */
export function normaliseExpression(expr: string): string {
  const trimmed = expr.trim();
  return trimmed.startsWith("=") ? trimmed.slice(1).trim() : trimmed;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** feelin's own wording ("Incomplete <Comparison>") is thrown while parsing, before anything runs. */
function syntaxMessage(source: string): string | undefined {
  try {
    evaluate(source, {});
    return undefined;
  } catch (e) {
    return errorText(e);
  }
}

/** Parse check only (no data needed): used by the validator. */
export function checkCondition(expr: string): FeelCheck {
  const source = normaliseExpression(expr);
  if (source === "") return { ok: false, error: "empty expression" };
  try {
    // The lezer parser recovers from errors instead of throwing, so look for error nodes.
    const tree = parseExpression(source, {}, undefined);
    let at = -1;
    tree.iterate({
      enter(n) {
        if (at < 0 && n.type.isError) at = n.from;
      },
    });
    if (at >= 0) return { ok: false, error: syntaxMessage(source) ?? `syntax error at position ${at + 1}` };
    return { ok: true };
  } catch (e) {
    return { ok: false, error: errorText(e) };
  }
}

/**
 * Evaluates a condition against the case data. Only a real boolean counts: `null` (e.g. a missing
 * variable compared with `>`), numbers or strings are errors, not truthiness, so a typo in a
 * variable name turns into a visible incident instead of silently taking the default edge.
 * Warnings (e.g. "Variable 'x' not found" while `x = 1` still yields false) are passed on.
 */
export function evaluateCondition(expr: string, data: Record<string, unknown>): FeelResult {
  const source = normaliseExpression(expr);
  if (source === "") return { ok: false, error: "empty expression" };
  try {
    const { value, warnings } = evaluate(source, data);
    const messages = warnings.map((w) => w.message);
    if (typeof value !== "boolean") {
      const got = value === null || value === undefined ? "null" : typeof value;
      const why = messages.length > 0 ? ` (${messages.join("; ")})` : "";
      return { ok: false, error: `condition must be true or false, got ${got}${why}` };
    }
    return { ok: true, value, warnings: messages };
  } catch (e) {
    return { ok: false, error: errorText(e) };
  }
}
