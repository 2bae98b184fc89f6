import { COMMON_ERRORS, errorResponses, json, listParams, orgParam, ref, str, uuid, type PathItem } from "./openapi";
import { workflowSchemaDefs } from "./openapi-workflow-schemas";

// The workflow part of the OpenAPI document: definitions, cases and tasks. Kept apart from
// openapi.ts so the engine's endpoints stay readable; the shapes (openapi-workflow-schemas.ts)
// mirror app/utils/api-workflow-shapes.server.ts.

export const WORKFLOW_TAG = {
  name: "workflow",
  description: "Workflow definitions, cases and tasks",
};

// Built on first use, not at import: openapi.ts imports this module and this module uses
// openapi.ts's helpers, so nothing here may run while the two are still loading.
let built: ReturnType<typeof build> | undefined;
const doc = () => (built ??= build());
export const workflowPaths = () => doc().paths;
export const workflowParameters = () => doc().parameters;
export const workflowSchemas = () => doc().schemas;

function build() {
  const tags = ["workflow"];
  const keyParam = ref("parameters", "definitionKey");
  const referenceParam = ref("parameters", "caseReference");
  const taskParam = ref("parameters", "taskId");
  const idempotencyParam = ref("parameters", "idempotencyKey");

  const parameters = {
    definitionKey: {
      name: "key",
      in: "path" as const,
      required: true,
      description: "The definition's key (a slug)",
      schema: str(undefined, { pattern: "^[a-z][a-z0-9-]{1,63}$" }),
    },
    caseReference: {
      name: "reference",
      in: "path" as const,
      required: true,
      description: "The case reference (or its id)",
      schema: str(undefined, { maxLength: 100 }),
    },
    taskId: {
      name: "taskId",
      in: "path" as const,
      required: true,
      schema: uuid,
    },
    idempotencyKey: {
      name: "Idempotency-Key",
      in: "header" as const,
      description: "8–200 characters. A repeated request with the same key returns the first answer instead of acting twice.",
      schema: str(undefined, { minLength: 8, maxLength: 200 }),
    },
  };

  const paths: Record<string, PathItem> = {
    "/orgs/{org}/definitions": {
      get: {
        operationId: "listDefinitions",
        summary: "Workflow definitions, a page at a time",
        tags,
        parameters: listParams,
        responses: {
          "200": {
            description: "One page of definitions",
            content: json(ref("schemas", "DefinitionPage")),
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed"),
        },
      },
    },
    "/orgs/{org}/definitions/import": {
      post: {
        operationId: "importDefinition",
        summary: "Import a definition from JSON or BPMN 2.0 XML",
        description:
          "Send the Masar JSON format (application/json) or BPMN 2.0 XML (application/xml; ?key= names the definition). " +
          "The import becomes the definition's draft (a new definition if the key is new); publish it to run cases.",
        tags,
        parameters: [
          orgParam,
          {
            name: "key",
            in: "query",
            description: "BPMN only: the key of the definition to create or update",
            schema: str(),
          },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: ref("schemas", "DefinitionGraph") },
            "application/xml": { schema: str("BPMN 2.0 XML") },
          },
        },
        responses: {
          "201": {
            description: "The draft created from the import",
            content: json(ref("schemas", "DefinitionImport")),
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed", "conflict"),
        },
      },
    },
    "/orgs/{org}/definitions/{key}": {
      get: {
        operationId: "getDefinition",
        summary: "One definition with its versions",
        tags,
        parameters: [orgParam, keyParam],
        responses: {
          "200": {
            description: "The definition",
            content: json(ref("schemas", "DefinitionDetail")),
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden"),
        },
      },
    },
    "/orgs/{org}/definitions/{key}/export": {
      get: {
        operationId: "exportDefinition",
        summary: "Export a version as Masar JSON or BPMN 2.0 XML",
        tags,
        parameters: [
          orgParam,
          keyParam,
          {
            name: "format",
            in: "query",
            schema: { type: "string", enum: ["json", "bpmn"], default: "json" },
          },
          {
            name: "version",
            in: "query",
            description: "A version number; default the latest published, else the draft",
            schema: { type: "integer", minimum: 1 },
          },
        ],
        responses: {
          "200": {
            description: "The definition file (sent as an attachment)",
            content: {
              "application/json": { schema: ref("schemas", "DefinitionGraph") },
              "application/xml": { schema: str("BPMN 2.0 XML") },
            },
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed"),
        },
      },
    },
    "/orgs/{org}/definitions/{key}/publish": {
      post: {
        operationId: "publishDefinition",
        summary: "Publish the definition's draft as its next version",
        description: "The draft is validated first; problems answer 400 with one message per node or edge.",
        tags,
        parameters: [orgParam, keyParam],
        requestBody: {
          required: false,
          content: json({
            type: "object",
            properties: { changeNote: str(undefined, { maxLength: 2000 }) },
          }),
        },
        responses: {
          "200": {
            description: "The published version",
            content: json(ref("schemas", "DefinitionVersion")),
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed", "conflict"),
        },
      },
    },
    "/orgs/{org}/cases": {
      get: {
        operationId: "listCases",
        summary: "Cases the caller may read, newest first",
        tags,
        parameters: [
          ...listParams,
          {
            name: "status",
            in: "query",
            schema: {
              type: "string",
              enum: ["running", "incident", "completed", "cancelled"],
            },
          },
        ],
        responses: {
          "200": {
            description: "One page of cases",
            content: json(ref("schemas", "CasePage")),
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed"),
        },
      },
      post: {
        operationId: "startCase",
        summary: "Start a case of a published definition",
        tags,
        parameters: [orgParam, idempotencyParam],
        requestBody: {
          required: true,
          content: json(ref("schemas", "CaseStart")),
        },
        responses: {
          "201": {
            description: "The new case",
            headers: {
              Location: {
                description: "The case's URL",
                schema: { type: "string" },
              },
            },
            content: json(ref("schemas", "CaseDetail")),
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed", "conflict"),
        },
      },
    },
    "/orgs/{org}/cases/{reference}": {
      get: {
        operationId: "getCase",
        summary: "One case: data, status and open tasks",
        tags,
        parameters: [orgParam, referenceParam],
        responses: {
          "200": {
            description: "The case",
            content: json(ref("schemas", "CaseDetail")),
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden"),
        },
      },
    },
    "/orgs/{org}/cases/{reference}/cancel": {
      post: {
        operationId: "cancelCase",
        summary: "Cancel a running case, with a reason",
        description:
          "Its open tasks, pending timers and running sub-cases are cancelled with it; the reason goes into the case's event log. " +
          "409 conflict (case_not_running) when the case is already completed or cancelled.",
        tags,
        parameters: [orgParam, referenceParam, idempotencyParam],
        requestBody: {
          required: true,
          content: json(ref("schemas", "CaseCancel")),
        },
        responses: {
          "200": {
            description: "The cancelled case",
            content: json(ref("schemas", "CaseDetail")),
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed", "conflict"),
        },
      },
    },
    "/orgs/{org}/cases/{reference}/events": {
      get: {
        operationId: "listCaseEvents",
        summary: "The case's event log (its timeline), in order",
        tags,
        parameters: [
          orgParam,
          referenceParam,
          {
            name: "afterSeq",
            in: "query",
            description: "Only events after this sequence number",
            schema: { type: "integer", minimum: 0, default: 0 },
          },
          {
            name: "limit",
            in: "query",
            schema: {
              type: "integer",
              minimum: 1,
              maximum: 1000,
              default: 500,
            },
          },
        ],
        responses: {
          "200": {
            description: "Events",
            content: json(ref("schemas", "CaseEventList")),
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed"),
        },
      },
    },
    "/orgs/{org}/tasks": {
      get: {
        operationId: "listMyTasks",
        summary: "My open tasks (the inbox)",
        description: "filter: mine (assigned to me, default), groups (unclaimed tasks of my lanes), all (every open task I may see), overdue.",
        tags,
        parameters: [
          ...listParams,
          {
            name: "filter",
            in: "query",
            schema: {
              type: "string",
              enum: ["mine", "groups", "all", "overdue"],
              default: "mine",
            },
          },
          {
            name: "sort",
            in: "query",
            schema: {
              type: "string",
              enum: ["due", "priority", "created"],
              default: "due",
            },
          },
        ],
        responses: {
          "200": {
            description: "One page of tasks",
            content: json(ref("schemas", "TaskPage")),
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed"),
        },
      },
    },
    "/orgs/{org}/tasks/{taskId}/claim": {
      post: {
        operationId: "claimTask",
        summary: "Claim a task of one of my lanes",
        description: "409 conflict with details.by and details.at when someone else claimed or completed it first.",
        tags,
        parameters: [orgParam, taskParam, idempotencyParam],
        responses: {
          "200": {
            description: "The claimed task",
            content: json(ref("schemas", "Task")),
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden", "conflict"),
        },
      },
    },
    "/orgs/{org}/tasks/{taskId}/complete": {
      post: {
        operationId: "completeTask",
        summary: "Complete a task (or decide a stage gate) with data",
        description:
          "Exactly one of several concurrent completions succeeds; the others get 409 conflict with details.by and details.at. " +
          "Repeat a request with the same Idempotency-Key to get its first answer again.",
        tags,
        parameters: [orgParam, taskParam, idempotencyParam],
        requestBody: {
          required: true,
          content: json(ref("schemas", "TaskComplete")),
        },
        responses: {
          "200": {
            description: "The completed task and the case after the step",
            content: json(ref("schemas", "TaskCompleted")),
          },
          ...errorResponses(...COMMON_ERRORS, "forbidden", "validation_failed", "conflict"),
        },
      },
    },
  };

  return { paths, parameters, schemas: workflowSchemaDefs() };
}
