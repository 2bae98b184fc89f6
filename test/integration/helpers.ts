import crypto from "node:crypto";
import { inject } from "vitest";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { createDb, setAppDb, withPlatform, type Db } from "~/utils/db.server";
import { insertOrganisation } from "~/models/organisations.server";
import { assignRoles } from "~/models/roles.server";
import { createUser } from "~/models/users.server";
import { setLogLevel } from "~/utils/log.server";

setLogLevel("warn");

let shared: Db | undefined;

/** The application-role database (not owner, not superuser), also installed as appDb(). */
export function testDb(): Db {
  if (!shared) {
    const created = createDb(inject("appUrl"), { max: 5 });
    setAppDb(created);
    shared = created.db;
  }
  return shared;
}

/** The owner connection: for tests that must inspect or tamper beneath the app role. */
export function testOwnerDb(): Kysely<unknown> {
  return new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: inject("ownerUrl"), max: 2 }) }) });
}

export function uniqueSlug(prefix = "org"): string {
  return `${prefix}-${crypto.randomBytes(4).toString("hex")}`;
}

export const TEST_PASSWORD = "Correct-Horse-1";

export interface TestOrg {
  org: { id: string; slug: string };
  roles: Record<string, string>;
  units: { a: string; b: string };
  admin: { id: string; email: string };
  manager: { id: string; email: string };
  staff: { id: string; email: string };
}

/**
 * A fresh organisation with two units and an admin, a manager and a staff member. Its business
 * calendar counts elapsed time, so timers and due dates are "now + duration" whatever the hour
 * the suite runs; `{ calendar: "default" }` leaves the default business calendar (the Saudi
 * preset), as a real organisation gets.
 */
export async function makeOrg(db: Db = testDb(), options: { calendar?: "elapsed" | "default" } = {}): Promise<TestOrg> {
  const slug = uniqueSlug();
  return withPlatform(db, async (trx) => {
    const { org, roles } = await insertOrganisation(trx, { slug, name_ar: `جهة ${slug}`, name_en: `Org ${slug}`, initials: "ج ت" });
    if (options.calendar !== "default") {
      await trx.insertInto("business_calendars").values({ org_id: org.id, mode: "elapsed", preset: null, week: JSON.stringify(Array.from({ length: 7 }, () => [{ start: 0, end: 1440 }])) }).execute();
    }
    const [a, b] = await trx
      .insertInto("org_units")
      .values([
        { org_id: org.id, code: "A1", name_ar: "وحدة أ", name_en: "Unit A" },
        { org_id: org.id, code: "B2", name_ar: "وحدة ب", name_en: "Unit B" },
      ])
      .returning("id")
      .execute();
    const person = async (role: string, unitId: string) => {
      const user = await createUser(trx, { email: `${role}@${slug}.test`, name: `${role} ${slug}`, password: TEST_PASSWORD });
      await trx.insertInto("memberships").values({ org_id: org.id, user_id: user.id, unit_id: unitId }).execute();
      await assignRoles(trx, org.id, user.id, [roles[role]!]);
      return { id: user.id, email: user.email };
    };
    return {
      org: { id: org.id, slug: org.slug },
      roles,
      units: { a: a!.id, b: b!.id },
      admin: await person("admin", a!.id),
      manager: await person("manager", a!.id),
      staff: await person("staff", b!.id),
    };
  });
}
