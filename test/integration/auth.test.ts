import { afterAll, describe, expect, it } from "vitest";
import { createSession, deleteSession, findSession } from "~/models/sessions.server";
import { findUserByEmail } from "~/models/users.server";
import { sha256 } from "~/utils/crypto.server";
import { overrideEnv } from "~/utils/env.server";
import { login } from "~/utils/login.server";
import { makeOrg, TEST_PASSWORD, testDb } from "./helpers";

describe("sign-in and sessions", () => {
  afterAll(() => overrideEnv({}));

  it("stores argon2id hashes and signs in with the right password only", async () => {
    const t = await makeOrg();
    const user = await findUserByEmail(testDb(), t.staff.email);
    expect(user?.password_hash).toMatch(/^\$argon2id\$/);
    expect(user?.password_hash).not.toContain(TEST_PASSWORD);
    const bad = await login({ email: t.staff.email, password: "wrong-password", ip: "10.0.0.1" });
    expect(bad).toEqual({ ok: false, reason: "invalid" });
    const good = await login({ email: t.staff.email.toUpperCase(), password: TEST_PASSWORD, ip: "10.0.0.1" });
    expect(good.ok).toBe(true);
    if (good.ok) expect(good.firstOrgSlug).toBe(t.org.slug);
  });

  it("an unknown email gets the same answer as a wrong password", async () => {
    expect(await login({ email: "nobody@nowhere.test", password: "x", ip: "10.0.0.2" })).toEqual({ ok: false, reason: "invalid" });
  });

  it("rotates the session id at sign-in: the session the browser came with is gone", async () => {
    const t = await makeOrg();
    const planted = await createSession(testDb(), { userId: t.staff.id, currentOrgId: null, days: 1 });
    const result = await login({ email: t.staff.email, password: TEST_PASSWORD, ip: "10.0.0.3", previousToken: planted.token });
    expect(result.ok).toBe(true);
    expect(await findSession(testDb(), planted.token)).toBeUndefined();
    if (result.ok) {
      expect(result.token).not.toBe(planted.token);
      expect(await findSession(testDb(), result.token)).toBeDefined();
      const row = await testDb().selectFrom("sessions").select("id_hash").where("id_hash", "=", sha256(result.token)).executeTakeFirst();
      expect(row).toBeDefined();
      const raw = await testDb().selectFrom("sessions").select("id_hash").where("id_hash", "=", result.token).executeTakeFirst();
      expect(raw).toBeUndefined(); // only the hash is stored
    }
  });

  it("logout ends the session at once", async () => {
    const t = await makeOrg();
    const session = await createSession(testDb(), { userId: t.manager.id, currentOrgId: t.org.id, days: 1 });
    expect(await findSession(testDb(), session.token)).toBeDefined();
    await deleteSession(testDb(), session.hash);
    expect(await findSession(testDb(), session.token)).toBeUndefined();
  });

  it("disabling a user ends their sessions on the next request", async () => {
    const t = await makeOrg();
    const session = await createSession(testDb(), { userId: t.manager.id, currentOrgId: t.org.id, days: 1 });
    await testDb().updateTable("users").set({ disabled_at: new Date() }).where("id", "=", t.manager.id).execute();
    expect(await findSession(testDb(), session.token)).toBeUndefined();
    const again = await login({ email: t.manager.email, password: TEST_PASSWORD, ip: "10.0.0.4" });
    expect(again).toEqual({ ok: false, reason: "invalid" });
  });

  it("rate-limits repeated failures per email with a clear answer, even for the right password", async () => {
    overrideEnv({ LOGIN_MAX_ATTEMPTS: 3, LOGIN_WINDOW_MINUTES: 15 });
    const t = await makeOrg();
    for (let i = 0; i < 3; i++) {
      expect(await login({ email: t.admin.email, password: "nope", ip: `10.1.0.${i}` })).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await login({ email: t.admin.email, password: TEST_PASSWORD, ip: "10.1.0.9" })).toEqual({ ok: false, reason: "rate_limited", minutes: 15 });
    overrideEnv({ LOGIN_MAX_ATTEMPTS: 5 });
  });
});
