/**
 * Integrator webhooks end to end in workerd: the API, the events queue's fan-out, the webhooks
 * queue's attempts with their backoff, and a real HTTP receiver (test/webhook-receiver.ts).
 * WEBHOOK_RETRY_BASE_SECONDS is 1 here, so retries come after 1 s, 2 s, 4 s…
 */
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, apiJson, eventually, type SeededAccount, seedAccount, unique } from "../../test/harness";
import type { RecordedDelivery } from "../../test/webhook-receiver";
import { webhookDeliveries, webhookEndpoints } from "../db/schema";
import { internal, leaseOverHttp, queuedVideo, RESULT, storeMaster } from "../jobs/test-utils";
import { newId } from "../lib/ids";
import { requeueStalledDeliveries } from "./deliver";
import { deliveryId } from "./events";
import { verifySignature } from "./signature";

interface Created {
  id: string;
  secret: string;
  url: string;
  events: string[];
}
interface Delivery {
  id: string;
  eventType: string;
  status: string;
  attempts: { attempt: number; at: string; statusCode: number | null; error: string | null }[];
}

let owner: SeededAccount;
let other: SeededAccount;
const hooksOf = (a: SeededAccount) => `/api/v1/channels/${a.channelId}/webhooks`;
const receiverUrl = (name: string) => `${env.WEBHOOK_RECEIVER_URL}/hooks/${name}`;
const received = async (name: string) =>
  (await (await fetch(`${env.WEBHOOK_RECEIVER_URL}/__deliveries?name=${name}`)).json()) as RecordedDelivery[];

async function register(name: string, events: string[], who = owner): Promise<Created> {
  return apiJson<Created>(hooksOf(who), 201, {
    method: "POST",
    token: who.accessToken,
    json: { url: receiverUrl(name), events },
  });
}

const deliveries = (hook: Created, who = owner) =>
  apiJson<{ items: Delivery[] }>(`${hooksOf(who)}/${hook.id}/deliveries`, 200, { token: who.accessToken });

beforeAll(async () => {
  [owner, other] = await Promise.all([
    seedAccount({ tag: "hookowner", channel: true }),
    seedAccount({ tag: "hookother", channel: true }),
  ]);
});

// Each test's endpoints go with it: the channel's limit is 10, and a failing endpoint would keep
// retrying in the background for the rest of the run.
afterEach(async () => {
  await testDb()
    .delete(webhookEndpoints)
    .where(eq(webhookEndpoints.channelId, owner.channelId as string));
});

describe("webhook endpoints", () => {
  it("a video that becomes ready is delivered to the receiver with a valid signature", async () => {
    const name = unique("ready");
    const hook = await register(name, ["video.ready"]);
    expect(hook.secret).toMatch(/^whsec_/);
    // The real path: the origin completes the video's transcode job.
    const videoId = await queuedVideo(owner);
    const job = await leaseOverHttp(videoId);
    await storeMaster(videoId);
    expect(
      (await internal(`/jobs/${job.id}/complete`, { leaseToken: job.leaseToken, result: RESULT })).status,
    ).toBe(200);

    const delivery = await eventually(async () => (await received(name))[0], 20_000);
    const body = JSON.parse(delivery.body);
    expect(body).toMatchObject({
      type: "video.ready",
      channelId: owner.channelId,
      data: { videoId, watchUrl: expect.stringMatching(new RegExp(`/watch/${videoId}$`)) },
    });
    const header = delivery.headers["marquee-signature"] ?? "";
    expect(await verifySignature(header, delivery.body, hook.secret, Math.floor(Date.now() / 1000))).toBe(
      true,
    );
    // Tampered bytes or another secret do not verify.
    expect(
      await verifySignature(
        header,
        delivery.body.replace(videoId, "vid_other"),
        hook.secret,
        Date.now() / 1000,
      ),
    ).toBe(false);
    const log = await eventually(async () => {
      const items = (await deliveries(hook)).items;
      return items[0]?.status === "succeeded" ? items : null;
    });
    expect(log).toHaveLength(1);
    expect(log[0]?.attempts.map((a) => a.statusCode)).toEqual([200]);
  });

  it("a receiver that fails twice then succeeds acknowledges the event once, with two retries logged after backoff", async () => {
    const name = `flaky2-${unique()}`;
    const hook = await register(name, ["video.ready"]);
    await apiJson(`${hooksOf(owner)}/${hook.id}/test`, 202, { method: "POST", token: owner.accessToken });
    const log = await eventually(async () => {
      const items = (await deliveries(hook)).items;
      return items[0]?.status === "succeeded" ? items : null;
    }, 20_000);
    const attempts = log[0]?.attempts ?? [];
    expect(attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    // Exponential backoff: 1 s after the first failure, 2 s after the second.
    const at = attempts.map((a) => Date.parse(a.at));
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(900);
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(1900);
    const got = await received(name);
    expect(got.map((d) => d.status)).toEqual([500, 500, 200]);
    // The same event each time, under the same id; only one was acknowledged.
    expect(new Set(got.map((d) => JSON.parse(d.body).id)).size).toBe(1);
    expect(got.filter((d) => d.status === 200)).toHaveLength(1);
    expect(JSON.parse(got[0]?.body ?? "{}").type).toBe("webhook.test");
    // Nothing more arrives later.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await received(name)).toHaveLength(3);
  });

  it("a transcode that fails for good is delivered as video.failed, with the reason", async () => {
    const name = unique("failed");
    await register(name, ["video.failed", "video.ready"]);
    const videoId = await queuedVideo(owner);
    const job = await leaseOverHttp(videoId);
    const reason = "ffmpeg: moov atom not found";
    const res = await internal(`/jobs/${job.id}/fail`, {
      leaseToken: job.leaseToken,
      reason,
      retryable: false,
    });
    expect(res.status).toBe(200);
    const delivery = await eventually(async () => (await received(name))[0], 20_000);
    expect(JSON.parse(delivery.body)).toMatchObject({ type: "video.failed", data: { videoId, reason } });
  });

  it("the cron re-sends an attempt whose message was lost, once", async () => {
    const name = unique("stalled");
    const hook = await register(name, ["video.ready"]);
    // As if the consumer crashed after logging attempt 1 and before queueing attempt 2.
    const id = await deliveryId("evt_lost", hook.id);
    await testDb()
      .insert(webhookDeliveries)
      .values({
        id,
        endpointId: hook.id,
        eventId: "evt_lost",
        eventType: "video.ready",
        body: JSON.stringify({ id: "evt_lost", type: "video.ready" }),
        attempts: 1,
        nextAttemptAt: Date.now() - 3600_000,
      });
    await requeueStalledDeliveries(env, Date.now());
    await requeueStalledDeliveries(env, Date.now());
    const log = await eventually(async () => {
      const items = (await deliveries(hook)).items;
      return items[0]?.status === "succeeded" ? items : null;
    });
    expect(log[0]?.attempts.map((a) => [a.attempt, a.statusCode])).toEqual([[2, 200]]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await received(name)).toHaveLength(1);
  });

  it("refuses URLs that are not https or that resolve to private addresses, with a 400 naming why", async () => {
    for (const [url, reason] of [
      ["https://loopback.example/hook", /resolves to a private address \(127\.0\.0\.1\)/],
      ["https://127.0.0.1/hook", /private address/],
      ["https://[::1]/hook", /private address/],
      ["http://hooks.public.example/hook", /https/],
      ["https://nowhere.example/hook", /does not resolve/],
      [`https://${"a".repeat(64)}.example/hook`, /DNS cannot hold/],
    ] as const) {
      const res = await api(hooksOf(owner), {
        method: "POST",
        token: owner.accessToken,
        json: { url, events: ["video.ready"] },
      });
      expect(res.status, url).toBe(400);
      const problem = (await res.json()) as { detail: string; errors: { path: string }[] };
      expect(problem.detail).toMatch(reason);
      expect(problem.errors[0]?.path).toBe("body.url");
    }
    const list = await apiJson<{ items: Created[] }>(hooksOf(owner), 200, { token: owner.accessToken });
    expect(list.items.some((h) => !h.url.startsWith(env.WEBHOOK_RECEIVER_URL))).toBe(false);
    // A public name is fine.
    await apiJson(hooksOf(owner), 201, {
      method: "POST",
      token: owner.accessToken,
      json: { url: "https://hooks.public.example/in", events: ["comment.created"] },
    });
  });

  it("checks the address again at delivery: an endpoint whose host now points inward gets no request", async () => {
    // As if the name had been re-pointed at 127.0.0.1 after registration.
    const id = newId("whe");
    await testDb()
      .insert(webhookEndpoints)
      .values({
        id,
        channelId: owner.channelId as string,
        url: "https://loopback.example/hook",
        events: ["video.ready"],
        secret: "whsec_x",
      });
    await apiJson(`${hooksOf(owner)}/${id}/test`, 202, { method: "POST", token: owner.accessToken });
    const attempt = await eventually(async () => {
      const items = (await deliveries({ id } as Created)).items;
      return items[0]?.attempts[0];
    });
    expect(attempt).toMatchObject({ statusCode: null, error: expect.stringMatching(/127\.0\.0\.1/) });
  });

  it("never follows a redirect (a public URL cannot bounce a delivery inward)", async () => {
    const name = `redirect-${unique()}`;
    const hook = await register(name, ["video.ready"]);
    await apiJson(`${hooksOf(owner)}/${hook.id}/test`, 202, { method: "POST", token: owner.accessToken });
    const attempt = await eventually(async () => (await deliveries(hook)).items[0]?.attempts[0]);
    expect(attempt.statusCode).toBe(307);
    expect(await received("stolen")).toHaveLength(0);
  });

  it("rotating the secret signs with both for a day; the new secret is shown once", async () => {
    const name = unique("rotate");
    const hook = await register(name, ["video.ready"]);
    const rotated = await apiJson<Created & { previousSecretExpiresAt: string }>(
      `${hooksOf(owner)}/${hook.id}/rotate-secret`,
      200,
      { method: "POST", token: owner.accessToken },
    );
    expect(rotated.secret).not.toBe(hook.secret);
    const expires = Date.parse(rotated.previousSecretExpiresAt) - Date.now();
    expect(expires).toBeGreaterThan(23.9 * 3600_000);
    expect(expires).toBeLessThanOrEqual(24 * 3600_000);
    const shown = await apiJson<Record<string, unknown>>(`${hooksOf(owner)}/${hook.id}`, 200, {
      token: owner.accessToken,
    });
    expect(shown.secret).toBeUndefined();
    await apiJson(`${hooksOf(owner)}/${hook.id}/test`, 202, { method: "POST", token: owner.accessToken });
    const delivery = await eventually(async () => (await received(name))[0]);
    const header = delivery.headers["marquee-signature"] ?? "";
    const now = Math.floor(Date.now() / 1000);
    expect(await verifySignature(header, delivery.body, rotated.secret, now)).toBe(true);
    expect(await verifySignature(header, delivery.body, hook.secret, now)).toBe(true);
  });

  it("a new subscriber is delivered as subscription.created; a level change is not", async () => {
    const name = unique("subs");
    const hook = await register(name, ["subscription.created"]);
    const viewer = await seedAccount({ tag: "hooksub" });
    const subscribe = (level: string) =>
      apiJson(`/api/v1/channels/${owner.channelId}/subscription`, 200, {
        method: "PUT",
        token: viewer.accessToken,
        json: { level },
      });
    await subscribe("all");
    await subscribe("none");
    // Leaving and coming back is no new subscriber to announce (one event per profile and channel).
    expect(
      (
        await api(`/api/v1/channels/${owner.channelId}/subscription`, {
          method: "DELETE",
          token: viewer.accessToken,
        })
      ).status,
    ).toBe(204);
    await subscribe("all");
    const delivery = await eventually(async () => (await received(name))[0]);
    expect(JSON.parse(delivery.body)).toMatchObject({ type: "subscription.created", data: { level: "all" } });
    // The viewer's identity is not the channel's to learn.
    expect(delivery.body).not.toContain(viewer.profileId);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await received(name)).toHaveLength(1);
    expect((await deliveries(hook)).items).toHaveLength(1);
  });

  it("another account cannot see, change, test or remove a channel's webhooks; removal ends them", async () => {
    const hook = await register(unique("mine"), ["video.deleted"]);
    const paths = [
      `${hooksOf(owner)}`,
      `${hooksOf(owner)}/${hook.id}`,
      `${hooksOf(owner)}/${hook.id}/deliveries`,
    ];
    for (const path of paths) expect((await api(path, { token: other.accessToken })).status, path).toBe(403);
    expect(
      (await api(`${hooksOf(owner)}/${hook.id}/test`, { method: "POST", token: other.accessToken })).status,
    ).toBe(403);
    // Through the intruder's own channel, the id names nothing.
    expect((await api(`${hooksOf(other)}/${hook.id}`, { token: other.accessToken })).status).toBe(404);
    expect(
      (await api(`${hooksOf(owner)}/${hook.id}`, { method: "DELETE", token: owner.accessToken })).status,
    ).toBe(204);
    expect((await api(`${hooksOf(owner)}/${hook.id}`, { token: owner.accessToken })).status).toBe(404);
    const rows = await testDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, hook.id));
    expect(rows).toHaveLength(0);
  });

  it("pages the delivery log with real delivery ids, and throttles test events per endpoint", async () => {
    const hook = await register(unique("paging"), ["video.ready"]);
    for (let i = 0; i < 3; i++) {
      await apiJson(`${hooksOf(owner)}/${hook.id}/test`, 202, { method: "POST", token: owner.accessToken });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=1&cursor=${encodeURIComponent(cursor)}` : "?limit=1";
      const page: { items: Delivery[]; nextCursor: string | null } = await apiJson(
        `${hooksOf(owner)}/${hook.id}/deliveries${query}`,
        200,
        { token: owner.accessToken },
      );
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(3);
    // 10 a minute per endpoint: the 3 above and 7 more pass, the next is 429 with Retry-After.
    for (let i = 0; i < 7; i++) {
      await apiJson(`${hooksOf(owner)}/${hook.id}/test`, 202, { method: "POST", token: owner.accessToken });
    }
    const refused = await api(`${hooksOf(owner)}/${hook.id}/test`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("an admin may read and remove a channel's webhooks, never point them elsewhere or rotate or test them", async () => {
    const admin = await seedAccount({ tag: "hookadmin", roles: ["admin"] });
    const hook = await register(unique("adminseen"), ["video.ready"]);
    const as = { token: admin.accessToken };
    expect((await api(hooksOf(owner), as)).status).toBe(200);
    expect((await api(`${hooksOf(owner)}/${hook.id}/deliveries`, as)).status).toBe(200);
    for (const [method, path, json] of [
      ["POST", hooksOf(owner), { url: receiverUrl("admin"), events: ["video.ready"] }],
      ["PATCH", `${hooksOf(owner)}/${hook.id}`, { url: receiverUrl("admin") }],
      ["POST", `${hooksOf(owner)}/${hook.id}/rotate-secret`, undefined],
      ["POST", `${hooksOf(owner)}/${hook.id}/test`, undefined],
    ] as const) {
      expect((await api(path, { method, ...as, json })).status, `${method} ${path}`).toBe(403);
    }
    expect((await api(`${hooksOf(owner)}/${hook.id}`, { method: "DELETE", ...as })).status).toBe(204);
  });

  it("validates input: unknown events, empty lists, non-URLs and unknown fields are 400", async () => {
    for (const json of [
      { url: receiverUrl("x"), events: ["video.exploded"] },
      { url: receiverUrl("x"), events: [] },
      { url: "not a url", events: ["video.ready"] },
      { url: receiverUrl("x"), events: ["video.ready"], secret: "mine" },
    ]) {
      const res = await api(hooksOf(owner), { method: "POST", token: owner.accessToken, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
    }
  });
});
