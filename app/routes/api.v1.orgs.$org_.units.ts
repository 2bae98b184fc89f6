import { z } from "zod";
import type { Route } from "./+types/api.v1.orgs.$org_.units";
import { getUnitRow, pageUnits } from "~/models/api-units.server";
import { createUnit, UNIT_CODE_PATTERN } from "~/models/units.server";
import { pageJson, unitJson } from "~/utils/api-shapes.server";
import { ApiError, apiJson, apiRoute, apiT, parseApiPaging, readJsonBody, requireApiContext, validationFailed } from "~/utils/api.server";
import { auditActor } from "~/utils/audit-actor.server";
import { appDb, withTenant } from "~/utils/db.server";
import { assertCan } from "~/utils/permissions.server";

// GET /api/v1/orgs/:org/units?page&pageSize&q — units the caller may read.
export const loader = apiRoute(async (args: Route.LoaderArgs) => {
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "read", "OrgUnit");
  const paging = parseApiPaging(args);
  const { rows, total } = await withTenant(appDb(), ctx.scope, (trx) =>
    pageUnits(trx, { orgId: ctx.org.id, ability: ctx.ability, q: paging.q, limit: paging.pageSize, offset: paging.offset }),
  );
  return pageJson(rows.map(unitJson), paging, total);
});

const unitBody = z.object({
  code: z.string().trim().regex(UNIT_CODE_PATTERN, "api.validation.unitCode"),
  nameAr: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().min(1).max(200),
  parentId: z.uuid().nullish(),
});

// POST /api/v1/orgs/:org/units — creates a unit (same model and audit entry as the admin screen).
export const action = apiRoute(async (args: Route.ActionArgs) => {
  if (args.request.method !== "POST") throw new ApiError("method_not_allowed", undefined, undefined, { Allow: "GET, POST" });
  const ctx = await requireApiContext(args);
  assertCan(ctx.ability, "create", "OrgUnit");
  const body = await readJsonBody(args);
  const parsed = unitBody.safeParse(body);
  if (!parsed.success) throw validationFailed(args, parsed.error, body);
  const input = parsed.data;
  const t = apiT(args);
  const unit = await withTenant(appDb(), ctx.scope, async (trx) => {
    const result = await createUnit(trx, auditActor(ctx, args.context), {
      code: input.code,
      name_ar: input.nameAr,
      name_en: input.nameEn,
      parentId: input.parentId ?? null,
    });
    if (result.ok) return getUnitRow(trx, ctx.org.id, result.id);
    if (result.reason === "duplicate_code") throw new ApiError("conflict", t("api.units.duplicateCode"), { fields: { code: t("api.units.duplicateCode") } });
    if (result.reason === "parent_not_found") {
      throw new ApiError("validation_failed", t("api.errors.validation_failed"), { fields: { parentId: t("api.units.parentNotFound") } });
    }
    throw new ApiError("validation_failed");
  });
  if (!unit) throw new ApiError("internal");
  const location = `/api/v1/orgs/${ctx.org.slug}/units/${unit.id}`;
  return apiJson(unitJson(unit), { status: 201, headers: { Location: location } });
});
