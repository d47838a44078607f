import { hashPassword, PBKDF2_ITERATIONS, PBKDF2_MAX_ITERATIONS, verifyPassword } from "@marquee/shared";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { apiJson, uniqueEmail } from "../../test/harness";
import { credentials } from "../db/schema";

describe("password hashing", () => {
  it("uses PBKDF2-SHA256 at Cloudflare's production cap of 100,000 iterations", async () => {
    expect(PBKDF2_MAX_ITERATIONS).toBe(100_000);
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });

  it("refuses to hash above the cap, which the Workers runtime would reject in production", async () => {
    await expect(hashPassword("x", { iterations: 100_001 })).rejects.toThrow(RangeError);
  });

  it("salts every hash and verifies only the right password", async () => {
    const a = await hashPassword("same password");
    const b = await hashPassword("same password");
    expect(a).not.toBe(b);
    expect((await verifyPassword("same password", a)).ok).toBe(true);
    expect((await verifyPassword("same passwore", a)).ok).toBe(false);
    expect((await verifyPassword("same password", "md5$nonsense")).ok).toBe(false);
  });

  it("flags hashes made with older parameters for an upgrade", async () => {
    const old = await hashPassword("upgrade me please", { iterations: 1000 });
    expect(await verifyPassword("upgrade me please", old)).toEqual({ ok: true, needsRehash: true });
  });

  it("upgrades an old hash on the next successful login", async () => {
    const email = uniqueEmail("rehash");
    const password = "upgrade me please";
    const { accountId } = await apiJson<{ accountId: string }>("/api/v1/auth/signup", 201, {
      method: "POST",
      json: { email, password, displayName: "Old Timer" },
    });
    const old = await hashPassword(password, { iterations: 1000 });
    await testDb().update(credentials).set({ passwordHash: old }).where(eq(credentials.accountId, accountId));
    await apiJson("/api/v1/auth/login", 200, { method: "POST", json: { email, password } });
    const [row] = await testDb()
      .select({ h: credentials.passwordHash })
      .from(credentials)
      .where(eq(credentials.accountId, accountId));
    expect(row?.h).toMatch(/^pbkdf2-sha256\$100000\$/);
  });
});
