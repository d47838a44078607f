/**
 * Authorisation-matrix entries of integrator webhooks (issue 19, docs/webhooks.md; see matrix.ts).
 * A channel's webhooks are its owner's (or an admin's): another creator, a viewer and the owner's
 * own kids profile are refused 403 (the channel is public, so its existence is no secret). The
 * targets are a webhook per account, inserted straight in D1 and pointing at the local receiver.
 * A refused attempt must leave the endpoints, their secrets and their delivery logs as they were.
 */

import { env } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { expect } from "vitest";
import { webhookDeliveries, webhookEndpoints } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { testDb } from "../fixtures";
import type { SeededAccount } from "../harness";
import { signedIn } from "./intruders";
import type { MatrixEntry } from "./matrix";
import { afterRefusals } from "./phases";

const ownerOnly = { ...signedIn, otherAccount: 403, viewer: 403, kids: 403 } as const;
const receiver = () => `${env.WEBHOOK_RECEIVER_URL}/hooks/matrix`;

/** Per account, the webhook its entries target (inserted on first use), and its first state. */
const hooks = new Map<string, Promise<{ id: string; channelId: string; secret: string }>>();
const hookOf = (as: SeededAccount) => {
  let hook = hooks.get(as.accountId);
  if (!hook) {
    const row = { id: newId("whe"), channelId: as.channelId as string, secret: `whsec_${newId("m")}` };
    hook = testDb()
      .insert(webhookEndpoints)
      .values({ ...row, url: receiver(), events: ["video.ready"] })
      .then(() => row);
    hooks.set(as.accountId, hook);
  }
  return hook;
};
const at = async (as: SeededAccount, tail = "") => {
  const hook = await hookOf(as);
  return `/api/v1/channels/${hook.channelId}/webhooks/${hook.id}${tail}`;
};

afterRefusals("no refused attempt added, changed, tested or removed a webhook", async () => {
  const targets = await Promise.all(hooks.values());
  if (targets.length === 0) return;
  for (const target of targets) {
    const rows = await testDb()
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.channelId, target.channelId));
    expect(rows.map((r) => [r.id, r.secret, r.url])).toEqual([[target.id, target.secret, receiver()]]);
  }
  const sent = await testDb()
    .select()
    .from(webhookDeliveries)
    .where(
      inArray(
        webhookDeliveries.endpointId,
        targets.map((t) => t.id),
      ),
    );
  expect(sent).toHaveLength(0);
});

export const WEBHOOKS_ENTRIES: MatrixEntry[] = [
  {
    operation: "GET /api/v1/channels/{channelId}/webhooks",
    request: async (_w, as) => ({ path: `/api/v1/channels/${(await hookOf(as)).channelId}/webhooks` }),
    refuse: ownerOnly,
    owner: { status: 200 },
  },
  {
    operation: "POST /api/v1/channels/{channelId}/webhooks",
    request: async (_w, as) => ({
      path: `/api/v1/channels/${(await hookOf(as)).channelId}/webhooks`,
      json: { url: receiver(), events: ["video.ready"] },
    }),
    refuse: ownerOnly,
    owner: { status: 201 },
  },
  {
    operation: "GET /api/v1/channels/{channelId}/webhooks/{webhookId}",
    request: async (_w, as) => ({ path: await at(as) }),
    refuse: ownerOnly,
    owner: { status: 200 },
  },
  {
    operation: "PATCH /api/v1/channels/{channelId}/webhooks/{webhookId}",
    request: async (_w, as) => ({ path: await at(as), json: { description: "Matrix" } }),
    refuse: ownerOnly,
    owner: { status: 200 },
  },
  {
    operation: "POST /api/v1/channels/{channelId}/webhooks/{webhookId}/rotate-secret",
    request: async (_w, as) => ({ path: await at(as, "/rotate-secret") }),
    refuse: ownerOnly,
    owner: { status: 200 },
  },
  {
    operation: "POST /api/v1/channels/{channelId}/webhooks/{webhookId}/test",
    request: async (_w, as) => ({ path: await at(as, "/test") }),
    refuse: ownerOnly,
    owner: { status: 202 },
  },
  {
    operation: "GET /api/v1/channels/{channelId}/webhooks/{webhookId}/deliveries",
    request: async (_w, as) => ({ path: await at(as, "/deliveries") }),
    refuse: ownerOnly,
    owner: { status: 200 },
  },
  {
    operation: "DELETE /api/v1/channels/{channelId}/webhooks/{webhookId}",
    request: async (_w, as) => ({ path: await at(as) }),
    refuse: ownerOnly,
    owner: { status: 204, last: true },
  },
];

/** Webhook operations anyone may call: none. */
export const WEBHOOKS_PUBLIC_OPERATIONS: Record<string, string> = {};
