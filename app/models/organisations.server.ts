import { insertBuiltinRoles } from "./roles.server";
import { pluginDefaultGrants } from "~/utils/plugins.server";
import type { Db, Tx } from "~/utils/db.server";
import type { DisplayPrefs } from "~/utils/format";
import type { Organisation } from "~/utils/db-types";

export function findOrgBySlug(db: Db | Tx, slug: string) {
  return db.selectFrom("organisations").selectAll().where("slug", "=", slug).where("disabled_at", "is", null).executeTakeFirst();
}

export function findOrgById(db: Db | Tx, id: string) {
  return db.selectFrom("organisations").selectAll().where("id", "=", id).executeTakeFirst();
}

export function displayPrefs(org: Organisation, locale: "ar" | "en"): DisplayPrefs {
  return { locale, digits: org.digits, calendar: org.calendar, timeZone: org.time_zone };
}

/** The organisations a user belongs to (RLS: a user sees their own memberships). */
export function listUserOrgs(trx: Tx, userId: string) {
  return trx
    .selectFrom("memberships as m")
    .innerJoin("organisations as o", "o.id", "m.org_id")
    .select(["o.id", "o.slug", "o.name_ar", "o.name_en"])
    .where("m.user_id", "=", userId)
    .where("m.disabled_at", "is", null)
    .where("o.disabled_at", "is", null)
    .orderBy("o.name_ar")
    .execute();
}

export interface NewOrgInput {
  slug: string;
  name_ar: string;
  name_en: string;
  initials: string;
  default_locale?: "ar" | "en";
  digits?: "arab" | "latn";
  calendar?: "gregory" | "islamic-umalqura";
  time_zone?: string;
}

/** Reserved because they are, or may become, top-level paths. */
export const RESERVED_SLUGS = new Set(["app", "api", "login", "logout", "platform", "o", "assets", "locale", "admin", "health"]);

/** Inserts an organisation with its built-in roles. Runs in a platform scope. */
export async function insertOrganisation(trx: Tx, input: NewOrgInput) {
  const org = await trx
    .insertInto("organisations")
    .values({
      slug: input.slug,
      name_ar: input.name_ar,
      name_en: input.name_en,
      initials: input.initials,
      default_locale: input.default_locale ?? "ar",
      digits: input.digits ?? "arab",
      calendar: input.calendar ?? "gregory",
      time_zone: input.time_zone ?? "Asia/Riyadh",
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // Active plugins' default grants join the built-in roles of every new organisation.
  const roles = await insertBuiltinRoles(trx, org.id, pluginDefaultGrants());
  return { org, roles: Object.fromEntries(roles.map((r) => [r.key, r.id])) as Record<string, string> };
}
