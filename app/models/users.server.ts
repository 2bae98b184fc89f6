import { hash, verify } from "@node-rs/argon2";
import type { Db, Tx } from "~/utils/db.server";

// OWASP's argon2id baseline (19 MiB, 2 passes); the hash string records the parameters.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// A fixed hash to verify against when the email is unknown, so timing does not reveal accounts.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword("masar-timing-equaliser");
  return dummyHash;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserByEmail(db: Db | Tx, email: string) {
  return db.selectFrom("users").selectAll().where("email", "=", normaliseEmail(email)).executeTakeFirst();
}

export function findUserById(db: Db | Tx, id: string) {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function createUser(
  db: Db | Tx,
  input: { email: string; name: string; password: string; locale?: "ar" | "en" | null; isPlatformAdmin?: boolean },
) {
  return db
    .insertInto("users")
    .values({
      email: normaliseEmail(input.email),
      name: input.name.trim(),
      password_hash: await hashPassword(input.password),
      locale: input.locale ?? null,
      is_platform_admin: input.isPlatformAdmin ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setUserLocale(db: Db | Tx, userId: string, locale: "ar" | "en"): Promise<void> {
  await db.updateTable("users").set({ locale }).where("id", "=", userId).execute();
}
