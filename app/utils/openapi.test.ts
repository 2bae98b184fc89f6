import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_ERROR_CODES } from "./api-errors";
import { openApiDocument, type Operation } from "./openapi";

const ROUTES_DIR = path.resolve(__dirname, "../routes");
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** Splits a flat-routes file name on ".", keeping "[.]" escapes inside a segment. */
function segments(base: string): string[] {
  return base.match(/(?:\[[^\]]*\]|[^.])+/g) ?? [];
}

/** app/routes/api.v1.orgs.$org_.units.ts → "/orgs/{org}/units" (relative to the /api/v1 server); null for the splat. */
function routeFileToPath(file: string): string | null {
  const parts = segments(file.replace(/\.tsx?$/, "")).slice(2);
  if (parts.includes("$")) return null;
  const out = parts
    .filter((p) => p !== "_index" && !p.startsWith("_"))
    .map((p) => p.replace(/_$/, ""))
    .map((p) => (p.startsWith("$") ? `{${p.slice(1)}}` : p.replace(/\[(.*?)\]/g, "$1")));
  return `/${out.join("/")}`;
}

const apiRouteFiles = fs.readdirSync(ROUTES_DIR).filter((f) => f.startsWith("api.v1.") && /\.tsx?$/.test(f));

function operations(doc = openApiDocument()): { path: string; method: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ path: p, method: m, op: item[m]! })),
  );
}

function collectRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

function resolvePointer(doc: unknown, pointer: string): unknown {
  if (!pointer.startsWith("#/")) return undefined;
  return pointer
    .slice(2)
    .split("/")
    .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), doc);
}

describe("routeFileToPath", () => {
  it("maps flat-route file names onto OpenAPI paths", () => {
    expect(routeFileToPath("api.v1.me.ts")).toBe("/me");
    expect(routeFileToPath("api.v1.orgs.$org.ts")).toBe("/orgs/{org}");
    expect(routeFileToPath("api.v1.orgs.$org_.units.ts")).toBe("/orgs/{org}/units");
    expect(routeFileToPath("api.v1.openapi[.]json.ts")).toBe("/openapi.json");
    expect(routeFileToPath("api.v1.$.ts")).toBeNull();
  });
});

describe("the OpenAPI document", () => {
  const doc = openApiDocument();

  it("is OpenAPI 3.1 with a bearer security scheme required by default", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.servers[0]?.url).toBe("/api/v1");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    // Survives a JSON round trip unchanged (nothing undefined, no functions).
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it("describes every API route file, and nothing that has no route file", () => {
    expect(apiRouteFiles.length).toBeGreaterThan(3);
    const fromFiles = apiRouteFiles.map(routeFileToPath).filter((p): p is string => p !== null);
    expect(fromFiles.sort()).toEqual(Object.keys(doc.paths).sort());
  });

  it("describes the write methods each route file serves, and wraps every handler for JSON errors", () => {
    for (const file of apiRouteFiles) {
      const source = fs.readFileSync(path.join(ROUTES_DIR, file), "utf8");
      expect(source, file).toMatch(/export const loader = (apiRoute|methodNotAllowed|notFound)/);
      expect(source, file).toMatch(/export const action = (apiRoute|methodNotAllowed|notFound)/);
      const p = routeFileToPath(file);
      if (!p) continue;
      const item = doc.paths[p]!;
      // A POST-only resource (claim, complete, publish, import) answers GET with 405 and documents no GET.
      if (/export const loader = methodNotAllowed/.test(source)) expect(item.get, `${file} GET`).toBeUndefined();
      else expect(item.get, `${file} GET`).toBeDefined();
      const writes = METHODS.filter((m) => m !== "get" && item[m]);
      if (/export const action = methodNotAllowed/.test(source)) expect(writes, file).toEqual([]);
      else {
        expect(writes.length, file).toBeGreaterThan(0);
        for (const m of writes) expect(source, `${file} ${m}`).toContain(`"${m.toUpperCase()}"`);
      }
    }
  });

  it("every $ref resolves", () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(resolvePointer(doc, r), r).toBeDefined();
  });

  it("operations have unique ids, declared path parameters, and JSON error responses", () => {
    const ops = operations(doc);
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path: p, method, op } of ops) {
      const where = `${method.toUpperCase()} ${p}`;
      expect(op.summary, where).toBeTruthy();
      const declared = (op.parameters ?? []).map((param) => ("$ref" in param ? resolvePointer(doc, param.$ref) : param) as { name: string; in: string });
      for (const [, name] of p.matchAll(/\{(\w+)\}/g)) expect(declared.some((d) => d.in === "path" && d.name === name), `${where} {${name}}`).toBe(true);
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => s.startsWith("2")), where).toBe(true);
      expect(statuses, where).toContain("500");
      const secured = op.security === undefined;
      if (secured) expect(statuses, where).toContain("401");
      for (const s of statuses.filter((x) => Number(x) >= 400)) {
        const response = op.responses[s]!;
        const resolved = ("$ref" in response ? resolvePointer(doc, response.$ref) : response) as { content?: Record<string, { schema: { $ref?: string } }> };
        expect(resolved.content?.["application/json"]?.schema.$ref, `${where} ${s}`).toBe("#/components/schemas/Error");
      }
    }
  });

  it("the error schema lists exactly the stable codes", () => {
    const error = doc.components.schemas.Error!.properties!.error as { properties: { code: { enum: readonly string[] } }; required: string[] };
    expect([...error.properties.code.enum]).toEqual([...API_ERROR_CODES]);
    expect(error.required).toEqual(["code", "message", "requestId"]);
  });
});
