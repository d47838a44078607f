import { describe, expect, it } from "vitest";
import { api, apiJson, seedAccount } from "../test/harness";

const problemOf = async (res: Response) => {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as {
    type: string;
    title: string;
    status: number;
    code: string;
    errors?: { path: string }[];
  };
};

describe("the edge app's conventions", () => {
  it("answers /healthz", async () => {
    expect(await apiJson("/healthz", 200)).toMatchObject({ status: "ok", service: "edge" });
  });

  it("gives every response a request id, echoing a well-formed incoming one", async () => {
    const fresh = await api("/healthz");
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await api("/healthz", { headers: { "x-request-id": "trace-abc-12345" } });
    expect(echoed.headers.get("x-request-id")).toBe("trace-abc-12345");
    const bogus = await api("/healthz", { headers: { "x-request-id": "<script>" } });
    expect(bogus.headers.get("x-request-id")).not.toBe("<script>");
    const missing = await api("/api/v1/nothing-here");
    expect(missing.headers.get("x-request-id")).toBeTruthy();
  });

  it("answers unknown routes with a 404 problem", async () => {
    const res = await api("/api/v1/no/such/route", { method: "POST" });
    expect(res.status).toBe(404);
    expect(await problemOf(res)).toMatchObject({ status: 404, code: "not_found", title: "Not found" });
  });

  it("answers validation failures with field-level errors", async () => {
    const res = await api("/api/v1/auth/signup", {
      method: "POST",
      json: { email: "not-an-email", password: "short" },
    });
    expect(res.status).toBe(400);
    const problem = await problemOf(res);
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors?.map((e) => e.path).sort()).toEqual([
      "json.displayName",
      "json.email",
      "json.password",
    ]);
  });

  it("answers malformed JSON, a wrong content type and oversized bodies with problems, not 500s", async () => {
    const bad = await api("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).code).toBe("malformed_json");
    const text = await api("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "hi",
    });
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    await problemOf(text);
    const huge = await api("/api/v1/auth/login", {
      method: "POST",
      json: { email: "a@b.co", password: "x".repeat(70_000) },
    });
    expect(huge.status).toBe(413);
    expect((await problemOf(huge)).code).toBe("payload_too_large");
  });

  it("requires a token where one is needed and says how to send it", async () => {
    const res = await api("/api/v1/me");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect((await problemOf(res)).code).toBe("unauthenticated");
    const malformed = await api("/api/v1/me", { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(malformed.status).toBe(401);
  });

  it("sets security headers everywhere and forbids framing", async () => {
    for (const path of ["/healthz", "/api/v1/nothing", "/api/docs"]) {
      const res = await api(path);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("allows CORS only from configured origins", async () => {
    const allowed = await api("/api/v1/auth/login", {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const denied = await api("/api/v1/auth/login", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("publishes an OpenAPI document covering every core route", async () => {
    const doc = await apiJson<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      "/api/openapi.json",
      200,
    );
    expect(doc.openapi).toBe("3.1.0");
    const expected = [
      ["post", "/api/v1/auth/signup"],
      ["post", "/api/v1/auth/login"],
      ["post", "/api/v1/auth/refresh"],
      ["post", "/api/v1/auth/logout"],
      ["post", "/api/v1/auth/verify-email"],
      ["post", "/api/v1/auth/password-reset/request"],
      ["post", "/api/v1/auth/password-reset/confirm"],
      ["get", "/api/v1/me"],
      ["patch", "/api/v1/me"],
      ["delete", "/api/v1/me"],
      ["get", "/api/v1/me/profiles"],
      ["post", "/api/v1/me/profiles"],
      ["patch", "/api/v1/me/profiles/{profileId}"],
      ["delete", "/api/v1/me/profiles/{profileId}"],
      ["post", "/api/v1/me/profiles/{profileId}/switch"],
      ["post", "/api/v1/me/channel"],
      ["put", "/api/v1/admin/users/{userId}/role"],
    ];
    for (const [method, path] of expected)
      expect(doc.paths[path as string], `${method} ${path}`).toHaveProperty(method as string);
  });

  it("serves API docs that load only same-origin assets", async () => {
    const res = await api("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.startsWith("/")).toBe(true);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
  });

  it("keeps the development mailbox out of production", async () => {
    // APP_ENV is "test" here, so it exists; the production switch is covered by config.test.ts.
    const user = await seedAccount({ tag: "mailbox" });
    const box = await apiJson<{ email: { to: string }[] }>(`/dev/mailbox?to=${user.email}`, 200);
    expect(box.email[0]?.to).toBe(user.email);
  });
});
