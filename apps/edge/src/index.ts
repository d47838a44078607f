import { rollupAdStats } from "./ads/rollups";
import { pokeRollup } from "./analytics/rollup/poke";
import { createApp } from "./app";
import { sealPendingAudit } from "./audit/chain";
import { consumeEvents } from "./events/consumer";
import { recomputeTrending } from "./feed/trending-task";
import { runHousekeeping } from "./housekeeping/cron";
import { createLogger } from "./lib/logger";
import { wakeOriginsForQueue } from "./origin-container/fleet";
import { transcodeQueue } from "./transcode-queue/client";
import { abortAbandonedUploads } from "./videos/abandoned-uploads";
import { consumeWebhookAttempts, requeueStalledDeliveries, WEBHOOKS_QUEUE } from "./webhooks/deliver";

export { AdCampaign } from "./ads/objects/campaign";
export { AdFrequency } from "./ads/objects/frequency";
export { AnalyticsRollup } from "./analytics/rollup/object";
export { RateLimiter } from "./auth/rate-limiter";
export { OriginContainer } from "./origin-container/object";
export { AccountStreams } from "./playback/streams/object";
export { Inbox } from "./social/notifications/inbox";
export { VideoReactions } from "./social/reactions/video-reactions";
export { TranscodeQueue } from "./transcode-queue/object";

const app = createApp();

export default {
  fetch: app.fetch,
  // Two queues, one handler: wrangler.toml names them; the webhooks one carries delivery attempts.
  queue: (batch, env) =>
    batch.queue === WEBHOOKS_QUEUE ? consumeWebhookAttempts(batch, env) : consumeEvents(batch, env),
  scheduled: (controller, env, ctx) =>
    ctx.waitUntil(
      runHousekeeping(env, [
        (e) => abortAbandonedUploads(e, controller.scheduledTime),
        (e) => recomputeTrending(e, controller.scheduledTime),
        (e) => rollupAdStats(e, controller.scheduledTime),
        // Audit rows whose request could not seal them (docs/moderation.md).
        (e) => sealPendingAudit(e),
        // The analytics rollup's backstop: a lost poke leaves dirty marks (docs/analytics.md).
        (e) => pokeRollup(e, { force: true }),
        // Webhook attempts whose next message was lost to a crash (docs/webhooks.md).
        (e) => requeueStalledDeliveries(e, controller.scheduledTime),
        // Origin containers (production only): wake for jobs still queued after a failed wake.
        (e) => wakeOriginsForQueue(e, () => transcodeQueue(e).stats(), createLogger({ task: "origin-wake" })),
      ]),
    ),
} satisfies ExportedHandler<Env>;
