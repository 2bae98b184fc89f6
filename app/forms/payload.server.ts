// Hostile-payload defences for submitted form data, applied before ajv ever sees it: a
// byte cap while the body is read, then one iterative walk that refuses deep nesting, huge
// arrays, very long strings and prototype-polluting keys, and returns a fresh copy (the
// validator fills defaults and computed values into the copy, never the caller's object).

export const PAYLOAD_LIMITS = {
  maxBytes: 1024 * 1024,
  maxDepth: 20,
  maxArrayItems: 1000,
  maxStringLength: 100_000,
  maxValues: 100_000,
};
export type PayloadLimits = typeof PAYLOAD_LIMITS;

export type PayloadCode =
  | "payload_too_large"
  | "payload_invalid_json"
  | "payload_not_object"
  | "payload_too_deep"
  | "payload_forbidden_key"
  | "payload_array_too_long"
  | "payload_string_too_long"
  | "payload_too_many_values";

export interface PayloadRejection {
  code: PayloadCode;
  status: 400 | 413;
  /** JSON pointer of the offending value ("" for the whole body). */
  path: string;
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const escape = (key: string | number) => String(key).replace(/~/g, "~0").replace(/\//g, "~1");

/** Checks `value` and returns a deep copy of it, or why it is refused. */
export function guardPayload(
  value: unknown,
  limits: PayloadLimits = PAYLOAD_LIMITS,
): { ok: true; copy: Record<string, unknown> } | { ok: false; rejection: PayloadRejection } {
  const reject = (code: PayloadCode, path: string, status: 400 | 413 = 400) => ({ ok: false as const, rejection: { code, status, path } });
  if (typeof value !== "object" || value === null || Array.isArray(value)) return reject("payload_not_object", "");
  const root: Record<string, unknown> = {};
  // Each entry copies one container's children into its already-created copy.
  const stack: { source: object; target: Record<string, unknown> | unknown[]; depth: number; path: string }[] = [
    { source: value, target: root, depth: 1, path: "" },
  ];
  let values = 0;
  let bytes = 0;
  while (stack.length) {
    const { source, target, depth, path } = stack.pop()!;
    if (depth > limits.maxDepth) return reject("payload_too_deep", path);
    const isArray = Array.isArray(source);
    if (isArray && source.length > limits.maxArrayItems) return reject("payload_array_too_long", path);
    const keys = isArray ? source.map((_, i) => i) : Object.keys(source);
    // Paths are built only when something is refused (the common case never needs one).
    const at = (key: string | number) => `${path}/${escape(key)}`;
    for (const key of keys) {
      if (!isArray && FORBIDDEN_KEYS.has(key as string)) return reject("payload_forbidden_key", at(key));
      if (++values > limits.maxValues) return reject("payload_too_many_values", at(key), 413);
      const child = (source as Record<string | number, unknown>)[key];
      bytes += (isArray ? 1 : (key as string).length + 3) + (typeof child === "string" ? child.length + 2 : 8);
      if (bytes > limits.maxBytes) return reject("payload_too_large", "", 413);
      let copy: unknown = child;
      if (typeof child === "string" && child.length > limits.maxStringLength) return reject("payload_string_too_long", at(key));
      if (Array.isArray(child) && child.length > limits.maxArrayItems) return reject("payload_array_too_long", at(key));
      if (typeof child === "object" && child !== null) {
        copy = Array.isArray(child) ? new Array(child.length) : {};
        stack.push({ source: child, target: copy as Record<string, unknown>, depth: depth + 1, path: at(key) });
      } else if (typeof child === "function" || typeof child === "symbol" || typeof child === "bigint") {
        return reject("payload_not_object", at(key));
      }
      (target as Record<string | number, unknown>)[key] = copy;
    }
  }
  return { ok: true, copy: root };
}

/**
 * Reads a JSON request body without ever holding more than `maxBytes` of it: the stream is
 * cancelled as soon as the cap is passed (413), whatever Content-Length claimed.
 */
export async function readJsonBody(
  request: Request,
  maxBytes = PAYLOAD_LIMITS.maxBytes,
): Promise<{ ok: true; value: unknown } | { ok: false; rejection: PayloadRejection }> {
  const tooLarge = { ok: false as const, rejection: { code: "payload_too_large" as const, status: 413 as const, path: "" } };
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
  if (!request.body) return { ok: false, rejection: { code: "payload_invalid_json", status: 400, path: "" } };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge;
    }
    chunks.push(value);
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // Malformed, or nested beyond what the parser's stack takes.
    return { ok: false, rejection: { code: "payload_invalid_json", status: 400, path: "" } };
  }
}
