import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { accountRoutes } from "./accounts/routes";
import { adminRoutes } from "./admin/routes";
import { adsRoutes } from "./ads/routes";
import { analyticsRoutes } from "./analytics/routes";
import { auditRoutes } from "./audit/routes";
import { authenticate } from "./auth/middleware";
import { authRoutes } from "./auth/routes";
import { billingRoutes } from "./billing/routes";
import { MAX_WEBHOOK_BYTES } from "./billing/webhooks";
import { MAX_CAPTION_BYTES } from "./captions/parse";
import { CAPTION_UPLOAD_PATH, captionRoutes } from "./captions/routes";
import { catalogRoutes } from "./catalog/routes";
import { channelRoutes } from "./channels/routes";
import { BOOKMARK_HEADER } from "./db/session";
import { devRoutes } from "./dev/routes";
import { docsRoutes } from "./docs/routes";
import { feedRoutes } from "./feed/routes";
import { historyRoutes } from "./history/routes";
import { internalRoutes } from "./jobs/routes";
import { AppError } from "./lib/errors";
import { createRouter } from "./lib/openapi";
import { notFound, onError } from "./middleware/errors";
import { loadShed } from "./middleware/load-shed";
import { requestContext } from "./middleware/request-context";
import { securityHeaders } from "./middleware/security-headers";
import { reportRoutes } from "./moderation/report-routes";
import { moderationRoutes } from "./moderation/routes";
import { payoutsInternalRoutes } from "./payouts/internal-routes";
import { payoutsRoutes } from "./payouts/routes";
import { mediaRoutes } from "./playback/media";
import { mediaCors } from "./playback/media-cors";
import { playbackRoutes } from "./playback/routes";
import { streamRoutes } from "./playback/streams/routes";
import { playlistRoutes } from "./playlists/routes";
import { searchRoutes } from "./search/routes";
import { settingsRoutes } from "./settings/routes";
import { commentsRoutes } from "./social/comments/routes";
import { notificationsRoutes } from "./social/notifications/routes";
import { reactionsRoutes } from "./social/reactions/routes";
import { subscriptionsRoutes } from "./social/subscriptions/routes";
import { storageRoutes } from "./storage/routes";
import { videoRoutes } from "./videos/routes";
import { webRoutes } from "./web/routes";
import { webhookRoutes } from "./webhooks/routes";

export const API_VERSION = "1.0.0";

export function createApp() {
  const app = createRouter();

  app.use("*", requestContext);
  app.use("*", securityHeaders);
  app.use(
    "/api/*",
    cors({
      origin: (origin, c) => (c.get("config").allowedOrigins.includes(origin) ? origin : null),
      // x-d1-bookmark: the read-your-writes bookmark a browser carries between requests
      // (docs/read-replicas.md); without both lists a cross-origin client could neither read nor send it.
      allowHeaders: ["authorization", "content-type", "x-request-id", BOOKMARK_HEADER],
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      exposeHeaders: ["x-request-id", "retry-after", "location", BOOKMARK_HEADER],
      maxAge: 600,
    }),
  );
  // After CORS (/api's above, /media's here: its only mount), so a shed request's 503 still carries
  // the headers a browser or a player on another origin needs to read it.
  app.use("/media/*", mediaCors);
  app.use(
    "*",
    // c.get, not c.var: c.var copies every variable into a new object on each read.
    loadShed((c) => c.get("config").maxInFlight),
  );
  app.use("/api/*", async (c, next) => {
    // Provider webhooks are not ours to size (a Stripe event can pass 64 kB): they get their own cap,
    // still enforced while the body streams in, so a chunked body without a length cannot go past it.
    // Caption files (captions/parse.ts) are text of their own size too.
    const maxSize = c.req.path.startsWith("/api/v1/webhooks/")
      ? MAX_WEBHOOK_BYTES
      : CAPTION_UPLOAD_PATH.test(c.req.path)
        ? MAX_CAPTION_BYTES
        : c.var.config.maxJsonBodyBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError("payload_too_large", `Request bodies here are limited to ${maxSize} bytes`);
      },
    })(c, next);
  });
  app.use("/api/v1/*", authenticate);

  app.get("/healthz", (c) =>
    c.json({ status: "ok", service: "edge", version: API_VERSION, time: new Date().toISOString() }),
  );

  app.route("/api/v1/auth", authRoutes);
  app.route("/api/v1", accountRoutes);
  app.route("/api/v1", channelRoutes);
  app.route("/api/v1", webhookRoutes);
  app.route("/api/v1", playlistRoutes);
  app.route("/api/v1", adminRoutes);
  app.route("/api/v1", videoRoutes);
  app.route("/api/v1", captionRoutes);
  app.route("/api/v1", playbackRoutes);
  app.route("/api/v1", streamRoutes);
  app.route("/api/v1", billingRoutes);
  app.route("/api/v1", adsRoutes);
  app.route("/api/v1", payoutsRoutes);
  app.route("/api/v1", reportRoutes);
  app.route("/api/v1", moderationRoutes);
  app.route("/api/v1", auditRoutes);
  app.route("/api/v1", settingsRoutes);
  app.route("/api/v1", reactionsRoutes);
  app.route("/api/v1", commentsRoutes);
  app.route("/api/v1", subscriptionsRoutes);
  app.route("/api/v1", notificationsRoutes);
  app.route("/api/v1", catalogRoutes);
  app.route("/api/v1", searchRoutes);
  app.route("/api/v1", historyRoutes);
  app.route("/api/v1", analyticsRoutes);
  app.route("/api/v1", feedRoutes);
  app.route("/", mediaRoutes);
  app.route("/internal", internalRoutes);
  app.route("/internal", payoutsInternalRoutes);
  app.route("/", storageRoutes);
  app.route("/", devRoutes);
  app.route("/", docsRoutes);
  app.route("/", webRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.doc31("/api/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Marquee API",
      version: API_VERSION,
      description: "Errors are application/problem+json (RFC 9457). Lists are cursor-paginated.",
    },
    servers: [{ url: c.var.config.publicUrl }],
  }));

  app.notFound(notFound);
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
