import { nullable, page, ref, str, uuid, type Schema } from "./openapi";

// The workflow API's schemas (OpenAPI components), mirroring app/utils/api-workflow-shapes.server.ts.
// A function, called while openapi.ts builds its document: the two modules import each other.
export function workflowSchemaDefs(): Record<string, Schema> {
  const dateTime = str(undefined, { format: "date-time" });
  const actor = nullable({ type: "object", required: ["id", "name"], properties: { id: uuid, name: str() } });
  const localisedName = { nameAr: str(), nameEn: str() };
  const definitionVersion: Schema = {
    type: "object",
    required: ["version", "status", "createdAt", "publishedAt", "changeNote"],
    properties: {
      version: nullable({
        type: "integer",
        minimum: 1,
        description: "null for the draft",
      }),
      status: { type: "string", enum: ["draft", "published", "archived"] },
      createdAt: dateTime,
      publishedAt: nullable(dateTime),
      changeNote: nullable(str()),
    },
  };

  const definitionSummary: Schema = {
    type: "object",
    required: ["key", "nameAr", "nameEn", "archived", "latestVersion", "hasDraft", "createdAt"],
    properties: {
      key: str(),
      ...localisedName,
      archived: { type: "boolean" },
      latestVersion: nullable({
        type: "integer",
        minimum: 1,
        description: "The newest published version",
      }),
      hasDraft: { type: "boolean" },
      createdAt: dateTime,
    },
  };

  const task: Schema = {
    type: "object",
    required: [
      "id",
      "caseId",
      "caseReference",
      "caseTitle",
      "nodeId",
      "kind",
      "nameAr",
      "nameEn",
      "status",
      "priority",
      "dueAt",
      "createdAt",
      "assignee",
      "outcome",
      "completedAt",
    ],
    properties: {
      id: uuid,
      caseId: uuid,
      caseReference: str(),
      caseTitle: nullable(str()),
      nodeId: str(),
      kind: { type: "string", enum: ["task", "gate"] },
      ...localisedName,
      status: { type: "string", enum: ["open", "completed", "cancelled"] },
      priority: { type: "string", enum: ["low", "normal", "high", "urgent"] },
      dueAt: nullable(dateTime),
      createdAt: dateTime,
      assignee: actor,
      outcome: nullable({
        type: "string",
        enum: ["go", "no-go", "rework", null],
      }),
      completedAt: nullable(dateTime),
    },
  };

  const caseSummary: Schema = {
    type: "object",
    required: ["id", "reference", "title", "status", "definitionKey", "version", "startedAt", "completedAt"],
    properties: {
      id: uuid,
      reference: str(),
      title: nullable(str()),
      status: {
        type: "string",
        enum: ["running", "completed", "incident", "cancelled"],
      },
      definitionKey: str(),
      version: { type: "integer", minimum: 1 },
      startedAt: dateTime,
      completedAt: nullable(dateTime),
    },
  };

  const schemas: Record<string, Schema> = {
    DefinitionGraph: {
      type: "object",
      description:
        "The Masar definition format: key, name {ar,en}, lanes, nodes (start, end, task, decision, parallel, gate, timer, subprocess, action) and edges.",
      required: ["key", "name", "nodes"],
      properties: {
        key: str(),
        name: { type: "object", properties: { ar: str(), en: str() } },
        lanes: { type: "array" },
        nodes: { type: "array" },
        edges: { type: "array" },
      },
    },
    DefinitionVersion: definitionVersion,
    Definition: definitionSummary,
    DefinitionPage: page("Definition"),
    DefinitionDetail: {
      allOf: [
        ref("schemas", "Definition"),
        {
          type: "object",
          required: ["versions"],
          properties: {
            versions: {
              type: "array",
              items: ref("schemas", "DefinitionVersion"),
            },
          },
        },
      ],
    },
    DefinitionImport: {
      type: "object",
      required: ["key", "created", "warnings", "problems"],
      properties: {
        key: str(),
        created: { type: "boolean", description: "Always true: an import creates a new definition (an existing key is a 409 conflict)" },
        warnings: {
          type: "array",
          description: "BPMN only: what the import had to adjust",
          items: { type: "object", required: ["code", "elementId", "message"], properties: { code: str(), elementId: nullable(str()), message: str() } },
        },
        problems: {
          type: "array",
          description: "What publishing will check: errors must be fixed in the draft first",
          items: {
            type: "object",
            required: ["code", "severity", "nodeId", "edgeId", "message"],
            properties: {
              code: str(),
              severity: { type: "string", enum: ["error", "warning"] },
              nodeId: nullable(str()),
              edgeId: nullable(str()),
              message: str(),
            },
          },
        },
      },
    },
    Task: task,
    TaskPage: page("Task"),
    TaskComplete: {
      type: "object",
      properties: {
        data: {
          type: "object",
          description: "Merged into the case data (validated against the step's form once forms exist)",
          additionalProperties: true,
        },
        outcome: {
          type: "string",
          enum: ["go", "no-go", "rework"],
          description: "Stage gates only",
        },
        checklist: {
          type: "array",
          items: str(),
          description: "Stage gates: ids of the ticked checklist items",
        },
        expectedRowVersion: {
          type: "integer",
          description: "Optional optimistic check: the task's row version you saw",
        },
      },
    },
    TaskCompleted: {
      type: "object",
      required: ["task", "case"],
      properties: {
        task: ref("schemas", "Task"),
        case: ref("schemas", "CaseDetail"),
      },
    },
    Case: caseSummary,
    CasePage: page("Case"),
    CaseDetail: {
      allOf: [
        ref("schemas", "Case"),
        {
          type: "object",
          required: ["data", "startedBy", "openTasks"],
          properties: {
            data: { type: "object", additionalProperties: true },
            startedBy: actor,
            openTasks: { type: "array", items: ref("schemas", "Task") },
          },
        },
      ],
    },
    CaseCancel: {
      type: "object",
      required: ["reason"],
      properties: { reason: str(undefined, { minLength: 1, maxLength: 1000 }) },
    },
    CaseStart: {
      type: "object",
      required: ["definitionKey"],
      properties: {
        definitionKey: str(),
        version: {
          type: "integer",
          minimum: 1,
          description: "Default: the latest published version",
        },
        title: str(undefined, { maxLength: 200 }),
        data: { type: "object", additionalProperties: true },
      },
    },
    CaseEvent: {
      type: "object",
      required: ["seq", "at", "type", "nodeId", "taskId", "actor", "payload"],
      properties: {
        seq: { type: "integer", minimum: 1 },
        at: dateTime,
        type: str(),
        nodeId: nullable(str()),
        taskId: nullable(uuid),
        actor,
        payload: {
          description: "What happened (before/after where something changed)",
        },
      },
    },
    CaseEventList: {
      type: "object",
      required: ["items"],
      properties: {
        items: { type: "array", items: ref("schemas", "CaseEvent") },
      },
    },
  };
  return schemas;
}
