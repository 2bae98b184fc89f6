import type { CaseData } from "~/engine/runtime-types";
import type { Tx } from "~/utils/db.server";

// Executors for plugin-provided `action` nodes ("<pluginId>.<kind>"). Plugins declare node
// kinds in the plugin contract (PluginServer.nodeKinds); the plugin loader registers one
// executor per kind here (app/models/plugin-node-kinds.server.ts wraps it with the
// organisation's enablement, config check and settings). Plugin code never calls
// registerActionExecutor itself; tests of the engine may, to stand in for a plugin.
// A token reaching an action with no executor, or whose executor throws, becomes an
// "action_failed" incident (retryable once fixed), never a crash.

export interface ActionInput {
  /** The case's transaction, inside a savepoint: a failure rolls back only the action's writes. */
  trx: Tx;
  orgId: string;
  caseId: string;
  nodeId: string;
  tokenId: string;
  actionType: string;
  config: Record<string, unknown>;
  /** A copy of the case data; return what to merge into it. */
  data: CaseData;
  now: Date;
}

/**
 * An executor's refusal with a reason of its own (instead of "action_failed"): the incident
 * then says what happened in the member's language (case.incidents.reason.<reason>).
 */
export class ActionRefusal extends Error {
  constructor(
    readonly reason: "plugin_disabled",
    message: string,
  ) {
    super(message);
  }
}

/** Returns data to shallow-merge into the case (or nothing). Throw to raise an incident. */
export type ActionExecutor = (input: ActionInput) => Promise<CaseData | void> | CaseData | void;

const executors = new Map<string, ActionExecutor>();
const TYPE = /^[a-z][a-z0-9-]*\.[a-zA-Z][a-zA-Z0-9_-]*$/;

export function registerActionExecutor(type: string, fn: ActionExecutor): void {
  if (!TYPE.test(type)) throw new Error(`Invalid action type ${JSON.stringify(type)} (expected "<pluginId>.<kind>")`);
  executors.set(type, fn);
}

export function unregisterActionExecutor(type: string): void {
  executors.delete(type);
}

export function actionExecutor(type: string): ActionExecutor | undefined {
  return executors.get(type);
}

/** Every registered action type (publishing checks plugin kinds per organisation, see plugin-node-kinds.server.ts). */
export function registeredActionTypes(): string[] {
  return [...executors.keys()];
}
