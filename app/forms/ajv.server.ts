import Ajv2020 from "ajv/dist/2020.js"; // the extension: Node's ESM loader resolves no bare subpaths
import addFormats from "ajv-formats";
import type { RegExpEngine } from "ajv/dist/types";
import { FILE_TYPES } from "./magic-bytes";

// The one ajv configuration for form schemas, shared by the schema check (at save time)
// and the submission validator, so a schema that passes the check compiles the same way
// when data is validated.

/** Longest string a `pattern` is ever run against; longer values simply fail the pattern. */
export const PATTERN_INPUT_MAX = 2000;

/** The formats a form schema may name (ajv-formats' full implementations). */
export const KNOWN_FORMATS = ["date", "date-time", "time", "email", "uri", "uuid", "hostname", "ipv4", "ipv6", "duration"] as const;


/** Masar's own schema keywords; their values are checked by ajv when a schema compiles. */
export const MASAR_KEYWORDS: Record<string, object> = {
  "x-masar-compute": { type: "string", maxLength: 1000 },
  "x-masar-file": {
    type: "object",
    required: ["accept", "maxSizeMb"],
    additionalProperties: false,
    properties: {
      accept: { type: "array", minItems: 1, maxItems: 20, uniqueItems: true, items: { enum: [...FILE_TYPES] } },
      maxSizeMb: { type: "number", exclusiveMinimum: 0, maximum: 1024 },
    },
  },
  "x-masar-errors": {
    type: "object",
    maxProperties: 30,
    additionalProperties: { type: "string", pattern: "^t:", maxLength: 300 },
  },
  "x-masar-currency": { type: "string", pattern: "^[A-Z]{3}$" },
};

/**
 * Patterns run through this engine: identical to RegExp with the "u" flag, except that a
 * string longer than PATTERN_INPUT_MAX fails without being matched. Together with the
 * shape check of safe-regex.ts this bounds the work any pattern can cause.
 */
const boundedRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string) => {
    const re = new RegExp(pattern, flags);
    return {
      test: (s: string) => s.length <= PATTERN_INPUT_MAX && re.test(s),
      toString: () => re.toString(),
    };
  },
  { code: "boundedRegExp" },
);

export interface FormAjvOptions {
  /** Collect every error (filling forms) rather than stopping at the first. */
  allErrors?: boolean;
  /** Fill in `default` values while validating. */
  useDefaults?: boolean;
}

export function createFormAjv(options: FormAjvOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: options.allErrors ?? true,
    useDefaults: options.useDefaults ?? false,
    verbose: true, // errors carry parentSchema: needed for x-masar-errors overrides
    strict: true,
    // Conditions (`if: { properties: … }`) legitimately omit `type` and name properties
    // declared by the parent; strict types/required would refuse the builder's own output.
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    validateFormats: true,
    unicodeRegExp: true,
    code: { regExp: boundedRegExp },
    // A form schema is self-contained: nothing is ever fetched.
    loadSchema: undefined,
    inlineRefs: true,
  });
  addFormats(ajv, [...KNOWN_FORMATS]);
  for (const [keyword, metaSchema] of Object.entries(MASAR_KEYWORDS)) ajv.addKeyword({ keyword, metaSchema });
  return ajv;
}
