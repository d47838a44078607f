import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, unique } from "../../test/harness";

describe("GET /embed/{videoId}", () => {
  it("serves the web app's index.html, exactly what the ASSETS binding serves for /", async () => {
    const res = await api(`/embed/vid_${unique("embed")}`);
    const body = await res.text();
    const asset = await env.ASSETS.fetch("http://marquee.test/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(body).toBe(await asset.text());
    expect(body).toContain('<div id="root">');
  });

  it("may be framed by other sites: frame-ancestors * and no X-Frame-Options", async () => {
    const res = await api(`/embed/vid_${unique("frame")}`);
    await res.body?.cancel();
    expect(res.headers.get("x-frame-options")).toBeNull();
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors *");
    expect(csp).not.toContain("frame-ancestors 'none'");
    // Still a strict page: scripts only from our own origin.
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
  });

  it("leaves every other HTML page unframeable", async () => {
    const res = await api("/api/docs");
    await res.body?.cancel();
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
