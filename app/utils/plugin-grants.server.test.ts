import { describe, expect, it } from "vitest";
import { mergeGrants, missingGrants } from "./plugin-grants.server";

describe("plugin default grants bookkeeping", () => {
  const declared = {
    admin: [{ action: "manage", subject: "Notice" }],
    staff: [{ action: "read", subject: "Notice" }],
  };

  it("on first activation every declared grant is missing", () => {
    expect(missingGrants(declared, {})).toEqual(declared);
  });

  it("grants already recorded are not missing, whatever the key order of their JSON", () => {
    const granted = { admin: [{ subject: "Notice", action: "manage" }], staff: [{ action: "read", subject: "Notice" }] };
    expect(missingGrants(declared, granted)).toEqual({});
  });

  it("a later version's new grant is missing, the old ones are not", () => {
    const v2 = { ...declared, staff: [...declared.staff, { action: "create", subject: "Notice", conditions: { unitId: "${user.unitId}" } }] };
    expect(missingGrants(v2, declared)).toEqual({ staff: [{ action: "create", subject: "Notice", conditions: { unitId: "${user.unitId}" } }] });
  });

  it("merging records additions without duplicates", () => {
    const merged = mergeGrants({ staff: declared.staff }, { staff: declared.staff, admin: declared.admin });
    expect(merged).toEqual({ staff: declared.staff, admin: declared.admin });
  });
});
