import { API_ERROR_CODES, API_ERROR_STATUS, type ApiErrorCode } from "./api-errors";
import { WORKFLOW_TAG, workflowParameters, workflowPaths, workflowSchemas } from "./openapi-workflow";

// The OpenAPI 3.1 description of /api/v1, as a typed object (served at /api/v1/openapi.json).
// openapi.test.ts checks that every API route file is described and every $ref resolves;
// the shapes mirror app/utils/api-shapes.server.ts.

type Ref = { $ref: string };
type JsonType = "string" | "integer" | "number" | "boolean" | "object" | "array" | "null";
export interface Schema {
  type?: JsonType | JsonType[];
  format?: string;
  description?: string;
  enum?: readonly (string | null)[];
  properties?: Record<string, Schema | Ref>;
  required?: string[];
  items?: Schema | Ref;
  additionalProperties?: boolean | Schema | Ref;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  examples?: unknown[];
  allOf?: (Schema | Ref)[];
}
interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  description?: string;
  schema: Schema;
}
interface MediaType {
  schema: Schema | Ref;
}
interface ResponseObject {
  description: string;
  headers?: Record<string, { description: string; schema: Schema }>;
  content?: Record<string, MediaType>;
}
export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: (Parameter | Ref)[];
  requestBody?: { required: boolean; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject | Ref>;
}
export type PathItem = Partial<Record<"get" | "post" | "put" | "patch" | "delete", Operation>>;
export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string; description?: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, PathItem>;
  components: {
    securitySchemes: Record<string, { type: "http"; scheme: "bearer"; bearerFormat?: string; description?: string }>;
    schemas: Record<string, Schema>;
    parameters: Record<string, Parameter>;
    responses: Record<string, ResponseObject>;
  };
}

export const ref = (kind: "schemas" | "parameters" | "responses", name: string): Ref => ({ $ref: `#/components/${kind}/${name}` });
export const json = (schema: Schema | Ref) => ({ "application/json": { schema } });
export const str = (description?: string, extra: Schema = {}): Schema => ({ type: "string", ...(description ? { description } : {}), ...extra });
export const nullable = (schema: Schema): Schema => ({ ...schema, type: [schema.type as JsonType, "null"] });
export const uuid: Schema = { type: "string", format: "uuid" };

/** The component name of the error response for each code. */
const ERROR_RESPONSES: Record<ApiErrorCode, string> = {
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "NotFound",
  method_not_allowed: "MethodNotAllowed",
  validation_failed: "ValidationFailed",
  conflict: "Conflict",
  rate_limited: "RateLimited",
  service_unavailable: "ServiceUnavailable",
  internal: "Internal",
};

const ERROR_TEXT: Record<ApiErrorCode, string> = {
  unauthorized: "No bearer token, or the token is unknown, revoked or expired, or its user or membership is disabled.",
  forbidden: "The token's user lacks the permission (the same role rules as in the web interface).",
  not_found: "No such resource — also the answer for another organisation's slug, so nothing about other tenants leaks. Such attempts are audit-logged.",
  method_not_allowed: "The path exists but does not accept this method (see the Allow header).",
  validation_failed: "The request is malformed: details.fields maps each field to a message in the caller's language.",
  conflict: "The request conflicts with existing data (for example a duplicate code).",
  rate_limited: "Too many requests; retry later. Reserved: not returned by the current endpoints.",
  service_unavailable: "The database cannot be reached right now; retry after the Retry-After header's seconds.",
  internal: "An unexpected error; it was logged with the requestId.",
};

export function errorResponses(...codes: ApiErrorCode[]): Record<string, Ref> {
  return Object.fromEntries(codes.map((c) => [String(API_ERROR_STATUS[c]), ref("responses", ERROR_RESPONSES[c])]));
}

export const COMMON_ERRORS: ApiErrorCode[] = ["unauthorized", "not_found", "service_unavailable", "internal"];

export function page(item: string): Schema {
  return {
    type: "object",
    required: ["items", "page", "pageSize", "total"],
    properties: {
      items: { type: "array", items: ref("schemas", item) },
      page: { type: "integer", minimum: 1 },
      pageSize: { type: "integer", minimum: 1, maximum: 100 },
      total: { type: "integer", minimum: 0, description: "All matching rows the caller may read." },
    },
  };
}

export const orgParam = ref("parameters", "org");
export const listParams = [orgParam, ref("parameters", "page"), ref("parameters", "pageSize"), ref("parameters", "q")];

export function openApiDocument(): OpenApiDocument {
  return {
    openapi: "3.1.0",
    info: {
      title: "Masar API",
      version: "1.0.0",
      description:
        "The Masar HTTP API. Authenticate with a personal access token (created under Access tokens in the web interface) " +
        "sent as `Authorization: Bearer msr_…`. A token acts as its user in one organisation, with that user's role permissions. " +
        "Errors share one JSON shape with a stable `code`; messages follow Accept-Language (Arabic by default).",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: "account", description: "The token's user" },
      { name: "organisation", description: "The token's organisation" },
      WORKFLOW_TAG,
      { name: "meta", description: "This document" },
    ],
    paths: {
      "/me": {
        get: {
          operationId: "getMe",
          summary: "The token's user, organisation and roles",
          tags: ["account"],
          responses: { "200": { description: "The caller", content: json(ref("schemas", "Me")) }, ...errorResponses(...COMMON_ERRORS) },
        },
      },
      "/orgs/{org}": {
        get: {
          operationId: "getOrganisation",
          summary: "The organisation's public settings",
          tags: ["organisation"],
          parameters: [orgParam],
          responses: {
            "200": { description: "The organisation", content: json(ref("schemas", "Organisation")) },
            ...errorResponses(...COMMON_ERRORS, "forbidden"),
          },
        },
      },
      "/orgs/{org}/units": {
        get: {
          operationId: "listUnits",
          summary: "Organisational units the caller may read, a page at a time",
          tags: ["organisation"],
          parameters: listParams,
          responses: {
            "200": { description: "One page of units, ordered by code", content: json(ref("schemas", "UnitPage")) },
            ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed"),
          },
        },
        post: {
          operationId: "createUnit",
          summary: "Create an organisational unit",
          description: "Needs the create permission on OrgUnit. Audit-logged as unit.create.",
          tags: ["organisation"],
          parameters: [orgParam],
          requestBody: { required: true, content: json(ref("schemas", "UnitCreate")) },
          responses: {
            "201": {
              description: "The new unit",
              headers: { Location: { description: "The unit's URL", schema: { type: "string" } } },
              content: json(ref("schemas", "Unit")),
            },
            ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed", "conflict"),
          },
        },
      },
      "/orgs/{org}/units/{unitId}": {
        get: {
          operationId: "getUnit",
          summary: "One organisational unit",
          tags: ["organisation"],
          parameters: [orgParam, { name: "unitId", in: "path", required: true, schema: uuid }],
          responses: {
            "200": { description: "The unit", content: json(ref("schemas", "Unit")) },
            ...errorResponses(...COMMON_ERRORS, "forbidden"),
          },
        },
      },
      "/orgs/{org}/members": {
        get: {
          operationId: "listMembers",
          summary: "Members the caller may read, a page at a time",
          description: "Filtered by the caller's role rules in SQL: for example, staff see the members of their own unit only.",
          tags: ["organisation"],
          parameters: listParams,
          responses: {
            "200": { description: "One page of members, ordered by name", content: json(ref("schemas", "MemberPage")) },
            ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed"),
          },
        },
      },
      ...workflowPaths(),
      "/openapi.json": {
        get: {
          operationId: "getOpenApi",
          summary: "This OpenAPI document",
          tags: ["meta"],
          security: [],
          responses: { "200": { description: "OpenAPI 3.1 document", content: json({ type: "object" }) }, ...errorResponses("internal") },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "msr_<prefix>_<secret>",
          description: "A personal access token. Only its SHA-256 is stored; it is shown once, when created.",
        },
      },
      parameters: {
        org: { name: "org", in: "path", required: true, description: "The organisation's slug; must be the token's organisation.", schema: str(undefined, { pattern: "^[a-z0-9][a-z0-9-]{1,40}$" }) },
        page: { name: "page", in: "query", schema: { type: "integer", minimum: 1, maximum: 10000, default: 1 } },
        pageSize: { name: "pageSize", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 25 } },
        q: { name: "q", in: "query", description: "Search text (case-insensitive substring)", schema: str(undefined, { maxLength: 100 }) },
        ...workflowParameters(),
      },
      responses: Object.fromEntries(
        API_ERROR_CODES.map((code) => [
          ERROR_RESPONSES[code],
          {
            description: `${API_ERROR_STATUS[code]} ${code}: ${ERROR_TEXT[code]}`,
            ...(code === "service_unavailable" ? { headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer" as const } } } } : {}),
            content: json(ref("schemas", "Error")),
          },
        ]),
      ),
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message", "requestId"],
              properties: {
                code: { type: "string", enum: API_ERROR_CODES, description: "Stable; branch on this." },
                message: str("For people, in the caller's language; may change."),
                requestId: nullable(str("Also sent as the X-Request-Id header; quote it when reporting a problem.")),
                details: {
                  type: "object",
                  description:
                    "validation_failed and conflict: `fields` maps field names to messages. forbidden: the action and subject. " +
                    "Workflow conflicts (409): `reason` (task_already_completed, task_already_claimed, …) and, when someone else won, `by` (who) and `at` (when).",
                  properties: {
                    fields: { type: "object", additionalProperties: { type: "string" } },
                    action: str(),
                    subject: str(),
                    reason: str(),
                    by: nullable({ type: "object", required: ["id", "name"], properties: { id: uuid, name: str() } }),
                    at: nullable(str(undefined, { format: "date-time" })),
                  },
                },
              },
            },
          },
        },
        Organisation: {
          type: "object",
          required: ["id", "slug", "nameAr", "nameEn", "initials", "defaultLocale", "digits", "calendar", "timeZone"],
          properties: {
            id: uuid,
            slug: str(),
            nameAr: str(),
            nameEn: str(),
            initials: str("Used in generated service codes"),
            defaultLocale: { type: "string", enum: ["ar", "en"] },
            digits: { type: "string", enum: ["arab", "latn"] },
            calendar: { type: "string", enum: ["gregory", "islamic-umalqura"] },
            timeZone: str("IANA time zone", { examples: ["Asia/Riyadh"] }),
          },
        },
        Me: {
          type: "object",
          required: ["user", "organisation", "unitId", "roles", "token"],
          properties: {
            user: {
              type: "object",
              required: ["id", "email", "name", "locale"],
              properties: { id: uuid, email: str(undefined, { format: "email" }), name: str(), locale: { type: ["string", "null"], enum: ["ar", "en", null] } },
            },
            organisation: ref("schemas", "Organisation"),
            unitId: nullable(uuid),
            roles: { type: "array", items: str("Role key") },
            token: {
              type: "object",
              required: ["id", "name", "prefix", "expiresAt"],
              properties: { id: uuid, name: str(), prefix: str(), expiresAt: nullable(str(undefined, { format: "date-time" })) },
            },
          },
        },
        Unit: {
          type: "object",
          required: ["id", "code", "nameAr", "nameEn", "parentId", "createdAt"],
          properties: { id: uuid, code: str(), nameAr: str(), nameEn: str(), parentId: nullable(uuid), createdAt: str(undefined, { format: "date-time" }) },
        },
        UnitCreate: {
          type: "object",
          required: ["code", "nameAr", "nameEn"],
          properties: {
            code: str("Unique in the organisation (case-insensitive); used in service codes", { pattern: "^[A-Za-z0-9\\u0600-\\u06FF-]{1,20}$" }),
            nameAr: str(undefined, { minLength: 1, maxLength: 200 }),
            nameEn: str(undefined, { minLength: 1, maxLength: 200 }),
            parentId: nullable(uuid),
          },
        },
        UnitPage: page("Unit"),
        Member: {
          type: "object",
          required: ["userId", "name", "email", "title", "unitId", "unitNameAr", "unitNameEn", "disabled", "roles"],
          properties: {
            userId: uuid,
            name: str(),
            email: str(undefined, { format: "email" }),
            title: nullable(str()),
            unitId: nullable(uuid),
            unitNameAr: nullable(str()),
            unitNameEn: nullable(str()),
            disabled: { type: "boolean" },
            roles: {
              type: "array",
              items: { type: "object", required: ["key", "nameAr", "nameEn"], properties: { key: str(), nameAr: str(), nameEn: str() } },
            },
          },
        },
        MemberPage: page("Member"),
        ...workflowSchemas(),
      },
    },
  };
}
