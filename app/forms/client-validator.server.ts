// The browser's convenience validation of a form version, compiled here ahead of time.
//
// Ajv compiles schemas to JavaScript with `new Function`, which the Content-Security-Policy
// (script-src 'self' + nonce, no 'unsafe-eval') forbids in the browser. rjsf's answer is a
// precompiled validator: ajv's standalone code for the schema and every sub-schema rjsf
// tests (if/then, options), served as a same-origin script module and imported by the
// renderer. The standalone code is CommonJS that requires a few ajv runtime helpers; it is
// wrapped in a factory that takes `require`, and the browser passes its own bundled copies
// (app/components/form-renderer/client-validator.ts). The server's own validation of
// submissions (validateSubmission) is separate and authoritative.
import { compileSchemaValidatorsCode } from "@rjsf/validator-ajv8/compileSchemaValidators";
import Ajv2020 from "ajv/dist/2020.js";
import { log } from "~/utils/log.server";

// Published versions are immutable, so a (version, language) pair compiles once; a small
// LRU keeps memory bounded when many forms are in use.
const MAX_ENTRIES = 200;
const cache = new Map<string, string>();

const HEADER = "// Masar form validator (generated; see app/forms/client-validator.server.ts)\n";

/** The helpers the standalone code may require; the browser module provides exactly these. */
export const CLIENT_VALIDATOR_REQUIRES = [
  "ajv/dist/runtime/ucs2length",
  "ajv/dist/runtime/equal",
  "ajv-formats/dist/formats",
] as const;

export function clientValidatorModule(cacheKey: string, schema: Record<string, unknown>): string {
  const hit = cache.get(cacheKey);
  if (hit !== undefined) {
    cache.delete(cacheKey);
    cache.set(cacheKey, hit);
    return hit;
  }
  const source = compile(cacheKey, schema);
  cache.set(cacheKey, source);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return source;
}

function compile(cacheKey: string, schema: Record<string, unknown>): string {
  try {
    const code = compileSchemaValidatorsCode(schema as never, {
      AjvClass: Ajv2020 as never,
      // No line breaks needed in a file nobody reads; keeps it small.
      ajvOptionsOverrides: { code: { source: true, lines: false } },
    });
    const unknown = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).filter((name) => !(CLIENT_VALIDATOR_REQUIRES as readonly string[]).includes(name!));
    if (unknown.length > 0) throw new Error(`unexpected runtime dependency ${unknown.join(", ")}`);
    return `${HEADER}export default function (require) {\nconst module = { exports: {} };\nconst exports = module.exports;\n${code}\nreturn module.exports;\n}\n`;
  } catch (error) {
    // The server still validates every submission; the browser just goes without.
    log.warn("form validator not compiled for the browser", { key: cacheKey, error: (error as Error).message });
    return `${HEADER}export default null;\n`;
  }
}
