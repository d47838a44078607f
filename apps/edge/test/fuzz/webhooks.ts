/**
 * The legitimate request of webhook registration for the fuzz test (see stateful.ts): a schema
 * sample's URL names a host that does not resolve (400 by design, src/webhooks/address.ts), so the
 * case that gets through registers the local test receiver, the one origin exempt from that check.
 */
import { env } from "cloudflare:test";
import type { World } from "./stateful";

export const WEBHOOKS_STATEFUL: Record<string, (w: World) => Promise<{ body: unknown; path?: string }>> = {
  "POST /api/v1/channels/{channelId}/webhooks": async (w) => ({
    body: { url: `${env.WEBHOOK_RECEIVER_URL}/hooks/fuzz`, events: ["video.ready"] },
    path: `/api/v1/channels/${w.main.channelId}/webhooks`,
  }),
};
