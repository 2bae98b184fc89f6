import { describe, expect, it } from "vitest";
import { BUILTIN_ROLES } from "~/models/roles.server";
import { createForm, getFormIfAllowed } from "~/models/forms.server";
import { withTenant } from "~/utils/db.server";
import { buildAbility, interpolateRules } from "~/utils/permissions.server";
import { makeOrg, testDb, type TestOrg } from "./helpers";

function abilityOf(t: TestOrg, role: string, user: { id: string; email: string }) {
  const rules = BUILTIN_ROLES.find((r) => r.key === role)!.rules;
  return buildAbility(interpolateRules(rules, { user: { id: user.id, unitId: null, email: user.email }, org: { id: t.org.id } }));
}

describe("who may edit a form", () => {
  it("a manager edits the forms they created, and only reads the others", async () => {
    const t = await makeOrg();
    const actor = (user: { id: string; email: string }) => ({ orgId: t.org.id, actorUserId: user.id, actorLabel: user.email, requestId: null, ip: null });
    const ids = await withTenant(testDb(), { orgId: t.org.id }, async (trx) => {
      const mine = await createForm(trx, actor(t.manager), { key: "manager-own", name_ar: "نموذجي", name_en: "Mine" });
      const theirs = await createForm(trx, actor(t.admin), { key: "admin-form", name_ar: "نموذج المسؤول", name_en: "Admin's" });
      if (!mine.ok || !theirs.ok) throw new Error("setup failed");
      return { mine: mine.value.id, theirs: theirs.value.id };
    });
    const manager = abilityOf(t, "manager", t.manager);
    const staff = abilityOf(t, "staff", t.staff);
    await withTenant(testDb(), { orgId: t.org.id }, async (trx) => {
      expect(await getFormIfAllowed(trx, manager, t.org.id, ids.mine, "update")).toBeDefined();
      expect(await getFormIfAllowed(trx, manager, t.org.id, ids.theirs, "update")).toBeUndefined();
      expect(await getFormIfAllowed(trx, manager, t.org.id, ids.theirs, "read")).toBeDefined();
      expect(await getFormIfAllowed(trx, staff, t.org.id, ids.mine, "update")).toBeUndefined();
      expect(await getFormIfAllowed(trx, staff, t.org.id, ids.mine, "read")).toBeDefined();
    });
  });
});
