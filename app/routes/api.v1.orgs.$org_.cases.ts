import { z } from "zod";
import type { Route } from "./+types/api.v1.orgs.$org_.cases";
import { getCase, listCases, startCase } from "~/models/cases.server";
import { once } from "~/models/idempotency.server";
import { pageJson } from "~/utils/api-shapes.server";
import { caseDetailJson, caseSummaryJson } from "~/utils/api-workflow-shapes.server";
import { idempotencyKeyOf, inTenant } from "~/utils/api-workflow.server";
import { ApiError, apiJson, apiRoute, parseApiPaging, readJsonBody, requireApiContext, validationFailed } from "~/utils/api.server";
import { CASE_STATUSES } from "~/utils/inbox-params";
import { assertCan } from "~/utils/permissions.server";

// GET /api/v1/orgs/:org/cases?status&q&page&pageSize — cases the caller may read, newest first.
export const loader = apiRoute(async (args: Route.LoaderArgs) => {
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "read", "Case");
  const paging = parseApiPaging(args);
  const raw = { status: new URL(args.request.url).searchParams.get("status") || undefined };
  const parsed = z.object({ status: z.enum(CASE_STATUSES).optional() }).safeParse(raw);
  if (!parsed.success) throw validationFailed(args, parsed.error, raw);
  const list = await inTenant(args, ctx, (trx) => listCases(trx, ctx, { page: paging.page, pageSize: paging.pageSize, q: paging.q, status: parsed.data.status }));
  return pageJson(list.rows.map(caseSummaryJson), paging, list.total);
});

const startBody = z.object({
  definitionKey: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/),
  version: z.number().int().min(1).optional(),
  title: z.string().trim().max(200).optional(),
  data: z.record(z.string(), z.unknown()).default({}),
});

// POST /api/v1/orgs/:org/cases — starts a case of a published definition (Idempotency-Key honoured).
export const action = apiRoute(async (args: Route.ActionArgs) => {
  if (args.request.method !== "POST") throw new ApiError("method_not_allowed", undefined, undefined, { Allow: "GET, POST" });
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "create", "Case");
  const raw = await readJsonBody(args);
  const parsed = startBody.safeParse(raw);
  if (!parsed.success) throw validationFailed(args, parsed.error, raw);
  const input = parsed.data;
  const created = await inTenant(args, ctx, (trx) =>
    once(trx, { orgId: ctx.org.id, userId: ctx.user.id }, `case.start:${input.definitionKey}`, idempotencyKeyOf(args.request), async () => {
      const started = await startCase(trx, ctx, { definitionKey: input.definitionKey, version: input.version, title: input.title || null, data: input.data });
      return caseDetailJson(await getCase(trx, ctx, started.caseId));
    }),
  );
  return apiJson(created, { status: 201, headers: { Location: `/api/v1/orgs/${ctx.org.slug}/cases/${created.reference}` } });
});
