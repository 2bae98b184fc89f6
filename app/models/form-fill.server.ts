import { subject } from "@casl/ability";
import { sql } from "kysely";
import { accessibleWhere } from "~/utils/casl-sql.server";
import type { Tx } from "~/utils/db.server";
import { likePattern } from "~/utils/paging";
import type { AppAbility } from "~/utils/permissions.server";
import { isUuid } from "./forms.server";

// Reads behind the staff side of forms: which forms one may fill, the names of the files a
// draft or submission refers to, and a submission with everything its print view shows.
// Writing (drafts, submissions, files) lives in form-drafts / form-submissions / files.

export interface FillableListOptions {
  q: string;
  limit: number;
  offset: number;
  ability: AppAbility;
}

/** Forms with a published version, not archived, that the member may read. */
export async function listFillableForms(trx: Tx, orgId: string, options: FillableListOptions) {
  const base = trx
    .selectFrom("form_definitions as f")
    .where("f.org_id", "=", orgId)
    .where("f.archived_at", "is", null)
    .where(accessibleWhere(options.ability, "read", "Form", { createdBy: "f.created_by" }))
    .where((eb) =>
      eb.exists(
        eb.selectFrom("form_versions as v").select("v.id").whereRef("v.org_id", "=", "f.org_id").whereRef("v.form_id", "=", "f.id").where("v.status", "=", "published"),
      ),
    )
    .$if(options.q !== "", (qb) =>
      qb.where((eb) => {
        const pattern = likePattern(options.q);
        return eb.or([eb("f.key", "ilike", pattern), eb("f.name_ar", "ilike", pattern), eb("f.name_en", "ilike", pattern)]);
      }),
    );
  const [rows, total] = await Promise.all([
    base
      .select(["f.id", "f.key", "f.name_ar", "f.name_en"])
      .select((eb) =>
        eb
          .selectFrom("form_versions as v")
          .whereRef("v.org_id", "=", "f.org_id")
          .whereRef("v.form_id", "=", "f.id")
          .where("v.status", "=", "published")
          .select(["v.published_at"])
          .orderBy("v.version", "desc")
          .limit(1)
          .as("published_at"),
      )
      .select((eb) =>
        eb
          .selectFrom("form_versions as v")
          .whereRef("v.org_id", "=", "f.org_id")
          .whereRef("v.form_id", "=", "f.id")
          .where("v.status", "=", "published")
          .select((e) => e.fn.max("v.version").as("n"))
          .as("version"),
      )
      .orderBy(sql`lower(f.name_ar)`)
      .orderBy("f.id")
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, version: r.version === null ? null : Number(r.version), published_at: r.published_at as Date | null })),
    total: Number(total.n),
  };
}

export interface FileSummary {
  id: string;
  filename: string;
  size: number;
  contentType: string;
}

/**
 * Names and sizes of the files among `ids` that the reader may know about: their own
 * uploads, or files attached to the given context (a submission, a task).
 */
export async function describeFiles(trx: Tx, orgId: string, ids: string[], scope: { uploadedBy?: string; attachedTo?: string }): Promise<Record<string, FileSummary>> {
  const valid = [...new Set(ids.filter(isUuid))].slice(0, 500);
  if (valid.length === 0 || (!scope.uploadedBy && !scope.attachedTo)) return {};
  const rows = await trx
    .selectFrom("files")
    .select(["id", "filename", "size_bytes", "content_type"])
    .where("org_id", "=", orgId)
    .where("id", "in", valid)
    .where((eb) => {
      const ors = [];
      if (scope.uploadedBy) ors.push(eb("uploaded_by", "=", scope.uploadedBy));
      if (scope.attachedTo) ors.push(eb("attached_to", "=", scope.attachedTo));
      return eb.or(ors);
    })
    .execute();
  return Object.fromEntries(rows.map((r) => [r.id, { id: r.id, filename: r.filename, size: Number(r.size_bytes), contentType: r.content_type }]));
}

/** Every string in `data` that looks like a stored file id (file fields hold only ids). */
export function fileIdsIn(data: unknown, out: string[] = []): string[] {
  if (typeof data === "string") {
    if (isUuid(data)) out.push(data);
  } else if (Array.isArray(data)) data.forEach((v) => fileIdsIn(v, out));
  else if (data && typeof data === "object") Object.values(data).forEach((v) => fileIdsIn(v, out));
  return out;
}

/** A submission with its form, version and submitter, for its confirmation and print pages. */
export async function getSubmissionView(trx: Tx, orgId: string, id: string) {
  if (!isUuid(id)) return undefined;
  return trx
    .selectFrom("form_submissions as s")
    .innerJoin("form_versions as v", (j) => j.onRef("v.org_id", "=", "s.org_id").onRef("v.id", "=", "s.form_version_id"))
    .innerJoin("form_definitions as f", (j) => j.onRef("f.org_id", "=", "v.org_id").onRef("f.id", "=", "v.form_id"))
    .leftJoin("users as u", "u.id", "s.submitted_by")
    .select([
      "s.id",
      "s.context",
      "s.data",
      "s.submitted_by",
      "s.submitted_at",
      "v.id as version_id",
      "v.version",
      "v.schema",
      "v.ui_schema",
      "v.translations",
      "f.key",
      "f.name_ar",
      "f.name_en",
      "f.created_by as form_created_by",
      "u.name as submitter_name",
      "u.email as submitter_email",
    ])
    .where("s.org_id", "=", orgId)
    .where("s.id", "=", id)
    .executeTakeFirst();
}

/** Who may see a submission: the person who sent it, and those who may edit the form. */
export function mayViewSubmission(ability: AppAbility, userId: string, row: { submitted_by: string; form_created_by: string | null }): boolean {
  return row.submitted_by === userId || ability.can("update", subject("Form", { createdBy: row.form_created_by }));
}

/**
 * Once a person's answers live in a draft of one version, their drafts of the form's other
 * versions (in the same context) are spent: the page took them over when it started this
 * one. Called with the first save of a draft.
 */
export async function dropOtherVersionDrafts(trx: Tx, owner: { orgId: string; userId: string }, formId: string, keepVersionId: string, context: string): Promise<number> {
  const result = await trx
    .deleteFrom("form_drafts")
    .where("org_id", "=", owner.orgId)
    .where("user_id", "=", owner.userId)
    .where("context", "=", context)
    .where("form_version_id", "!=", keepVersionId)
    .where("form_version_id", "in", (eb) => eb.selectFrom("form_versions").select("id").where("org_id", "=", owner.orgId).where("form_id", "=", formId))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
