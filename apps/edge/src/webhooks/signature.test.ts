import { describe, expect, it } from "vitest";
import { newWebhookSecret, signatureHeader, verifySignature } from "./signature";

describe("delivery signatures", () => {
  const body = JSON.stringify({ id: "evt_1", type: "video.ready" });
  const t = 1_800_000_000;

  it("verifies with the secret, and not with another secret, another body or a stale timestamp", async () => {
    const secret = newWebhookSecret();
    const header = await signatureHeader([secret], t, body);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(await verifySignature(header, body, secret, t + 10)).toBe(true);
    expect(await verifySignature(header, body, newWebhookSecret(), t)).toBe(false);
    expect(await verifySignature(header, `${body} `, secret, t)).toBe(false);
    expect(await verifySignature(header, body, secret, t + 301)).toBe(false);
    // A replayed body under a new timestamp does not carry a valid MAC.
    expect(await verifySignature(header.replace(`t=${t}`, `t=${t + 500}`), body, secret, t + 500)).toBe(
      false,
    );
  });

  it("signs with both secrets during a rotation, so either verifies", async () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const header = await signatureHeader([current, previous], t, body);
    expect(header.split(",").filter((p) => p.startsWith("v1="))).toHaveLength(2);
    expect(await verifySignature(header, body, current, t)).toBe(true);
    expect(await verifySignature(header, body, previous, t)).toBe(true);
  });

  it("matches an HMAC-SHA256 computed independently (the documented scheme)", async () => {
    const secret = "whsec_test";
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = new Uint8Array(
      await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`)),
    );
    const hex = Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
    expect(await signatureHeader([secret], t, body)).toBe(`t=${t},v1=${hex}`);
  });
});
