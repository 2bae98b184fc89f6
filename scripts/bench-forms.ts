// npm run bench:forms — server-side validation of a generated 100-field submission with
// validateSubmission (hostile-payload guard + copy, computed fields, ajv, messages on
// failure) against plain ajv running the very same compiled validator, in the same run.
// Goal: validateSubmission at ≥ 50 % of plain ajv's rate, and the schema compiled once.
// The two are measured in alternating batches so machine load affects both alike.
// The last line is machine-readable JSON.
import { compiledFor, formCacheStats, resetFormCache, validateSubmission } from "~/forms/validate.server";
import { checkSchema, hasErrors } from "~/forms/schema-safety.server";
import { setLogLevel } from "~/utils/log.server";

const FIELDS = 100;
const DURATION_MS = Number(process.env.BENCH_MS ?? 2000);

/** 100 fields of the builder's common types, some required, with patterns and formats. */
function generateForm() {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const data: Record<string, unknown> = {};
  for (let i = 0; i < FIELDS; i++) {
    const name = `field${i}`;
    switch (i % 10) {
      case 0:
        properties[name] = { type: "string", title: `t:${name}.title`, minLength: 2, maxLength: 100 };
        data[name] = `إجابة رقم ${i}`;
        break;
      case 1:
        properties[name] = { type: "string", pattern: "^[0-9]{10}$", "x-masar-errors": { pattern: `t:${name}.errors.pattern` } };
        data[name] = "1234567890";
        break;
      case 2:
        properties[name] = { type: "number", minimum: 0, maximum: 1_000_000, multipleOf: 0.01, "x-masar-currency": "SAR" };
        data[name] = 1500.25;
        break;
      case 3:
        properties[name] = { type: "integer", minimum: 1, maximum: 5 };
        data[name] = 4;
        break;
      case 4:
        properties[name] = { type: "string", oneOf: ["a", "b", "c", "d"].map((v) => ({ const: v, title: `t:${name}.options.${v}` })) };
        data[name] = "c";
        break;
      case 5:
        properties[name] = { type: "string", format: "email", maxLength: 254 };
        data[name] = `person${i}@example.org`;
        break;
      case 6:
        properties[name] = { type: "string", format: "date" };
        data[name] = "2025-03-14";
        break;
      case 7:
        properties[name] = { type: "boolean" };
        data[name] = i % 2 === 0;
        break;
      case 8:
        properties[name] = { type: "array", uniqueItems: true, maxItems: 4, items: { type: "string", oneOf: ["x", "y", "z"].map((v) => ({ const: v, title: `t:${name}.options.${v}` })) } };
        data[name] = ["x", "z"];
        break;
      default:
        properties[name] = { type: "string", pattern: "^\\+?[0-9 ]{7,20}$" };
        data[name] = "+966 50 123 4567";
    }
    if (i % 3 === 0) required.push(name);
  }
  return { schema: { type: "object", required, properties }, data };
}

/**
 * Both sides in alternating batches of BATCH runs, each batch timed on its own, for
 * DURATION_MS in total: whatever else the machine is doing slows both sides alike, so the
 * ratio stays meaningful on a busy machine even when the absolute rates are not.
 */
async function interleaved(sides: { label: string; run: () => unknown }[]): Promise<number[]> {
  const BATCH = 100;
  for (const side of sides) for (let i = 0; i < 2000; i++) await side.run(); // warm up (JIT, caches)
  const elapsed = sides.map(() => 0);
  let batches = 0;
  const start = performance.now();
  while (performance.now() - start < DURATION_MS * sides.length) {
    for (const [index, side] of sides.entries()) {
      const t0 = performance.now();
      for (let i = 0; i < BATCH; i++) await side.run();
      elapsed[index]! += performance.now() - t0;
    }
    batches++;
  }
  return sides.map((side, index) => {
    const perSecond = (batches * BATCH) / (elapsed[index]! / 1000);
    console.log(`${side.label.padEnd(34)} ${Math.round(perSecond).toLocaleString("en")} validations/s`);
    return perSecond;
  });
}

async function main() {
  setLogLevel("warn");
  const { schema, data } = generateForm();
  const problems = checkSchema({ schema, uiSchema: {}, translations: { ar: {}, en: {} } });
  if (hasErrors(problems)) throw new Error(`the generated schema is not valid: ${JSON.stringify(problems.slice(0, 3))}`);
  resetFormCache();
  const version = { id: "00000000-0000-4000-8000-00000000bench", lock_version: 1, schema, translations: { ar: {}, en: {} } };

  const first = await validateSubmission(version, data, "ar");
  if (!first.ok) throw new Error(`the generated submission does not validate: ${JSON.stringify(first.errors.slice(0, 3))}`);
  // The same compiled function validateSubmission uses (closed objects and all): the baseline.
  const { validate } = compiledFor(version);
  if (!validate(data)) throw new Error("plain ajv rejects the generated submission");

  console.log(`Validating a ${FIELDS}-field submission (${DURATION_MS} ms per measurement)`);
  // Plain ajv is awaited too, so both loops pay the same per-call await.
  const [baseline, value] = (await interleaved([
    { label: "plain ajv (same compiled schema)", run: () => validate(data) },
    { label: "validateSubmission", run: () => validateSubmission(version, data, "ar") },
  ])) as [number, number];
  const stats = formCacheStats();
  console.log(`schema compilations (cache misses): ${stats.misses}; cache hits: ${stats.hits}`);
  if (stats.misses !== 1) throw new Error("the schema was compiled more than once");
  const ratio = value / baseline;
  console.log(`ratio ${ratio.toFixed(3)} (goal ≥ 0.5)`);
  console.log(JSON.stringify({ bench: "forms", value: Math.round(value), baseline: Math.round(baseline), ratio: Number(ratio.toFixed(3)), goal: 0.5, unit: "validations/s", cacheHits: stats.hits, cacheMisses: stats.misses }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
