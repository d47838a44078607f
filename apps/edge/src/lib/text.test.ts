import { describe, expect, it } from "vitest";
import { api, seedAccount } from "../../test/harness";
import { MultiLineText, SingleLineText } from "./text";

describe("human text fields", () => {
  it("accept ordinary Unicode, emoji included, and count characters not UTF-16 units", () => {
    expect(SingleLineText(1, 5).safeParse("😀😀😀😀😀").success).toBe(true);
    expect(SingleLineText(1, 5).safeParse("Zoë 🎬").success).toBe(true);
    expect(SingleLineText(1, 5).safeParse("Zoë 🎬!").success).toBe(false);
    expect(SingleLineText(1, 80).safeParse("  Zoë's 🎬 films  ").data).toBe("Zoë's 🎬 films");
    expect(MultiLineText(100).safeParse("line one\nline two\ttabbed").success).toBe(true);
  });

  it("refuse control characters, bidi overrides and lone surrogates", () => {
    for (const bad of [
      "a\u0000b",
      "a\u001b[31mred",
      "evil\u202egnp.exe",
      "x\ud800y",
      "x\udc00",
      "two\nlines",
    ]) {
      expect(SingleLineText(1, 80).safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(MultiLineText(100).safeParse("bell\u0007").success).toBe(false);
  });

  it("are enforced by the routes with a validation problem", async () => {
    const user = await seedAccount({ tag: "text" });
    const res = await api(`/api/v1/me/profiles/${user.profileId}`, {
      method: "PATCH",
      token: user.accessToken,
      json: { name: "x\ud800y" },
    });
    expect(res.status).toBe(400);
    const signup = await api("/api/v1/auth/signup", {
      method: "POST",
      json: {
        email: `t${Date.now()}@example.test`,
        password: "long enough password",
        displayName: `a${"😀".repeat(30)}`,
      },
    });
    expect(signup.status).toBe(201);
  });
});
