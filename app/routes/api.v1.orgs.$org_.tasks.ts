import { z } from "zod";
import type { Route } from "./+types/api.v1.orgs.$org_.tasks";
import { listInbox } from "~/models/tasks.server";
import { pageJson } from "~/utils/api-shapes.server";
import { inboxTaskJson } from "~/utils/api-workflow-shapes.server";
import { inTenant } from "~/utils/api-workflow.server";
import { apiRoute, methodNotAllowed, parseApiPaging, requireApiContext, validationFailed } from "~/utils/api.server";
import { INBOX_FILTERS, INBOX_SORTS } from "~/utils/inbox-params";
import { assertCan } from "~/utils/permissions.server";

const query = z.object({ filter: z.enum(INBOX_FILTERS).default("mine"), sort: z.enum(INBOX_SORTS).default("due") });

// GET /api/v1/orgs/:org/tasks?filter=mine|groups|all|overdue&sort=due|priority|created&q&page&pageSize — the inbox.
export const loader = apiRoute(async (args: Route.LoaderArgs) => {
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "read", "Task");
  const paging = parseApiPaging(args);
  const params = new URL(args.request.url).searchParams;
  const raw = { filter: params.get("filter") || undefined, sort: params.get("sort") || undefined };
  const parsed = query.safeParse(raw);
  if (!parsed.success) throw validationFailed(args, parsed.error, raw);
  const inbox = await inTenant(args, ctx, (trx) => listInbox(trx, ctx, { page: paging.page, pageSize: paging.pageSize, q: paging.q, ...parsed.data }));
  return { ...pageJson(inbox.rows.map(inboxTaskJson), paging, inbox.total), counts: inbox.counts };
});

export const action = methodNotAllowed(["GET"]);
