import { z } from "@hono/zod-openapi";
import { VideoCard } from "../catalog/cards";
import { pageOf } from "../lib/pagination";
import { entityId } from "../lib/params";

export const BEACON_KINDS = ["start", "heartbeat", "end"] as const;
export type BeaconKind = (typeof BEACON_KINDS)[number];

/** A position or duration in milliseconds, up to a day (longer than any upload). */
const Millis = z.number().int().min(0).max(86_400_000);

export const Beacon = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, "8–64 characters of A–Z, a–z, 0–9, _ and -")
      .openapi({ description: "Made by the client, unique per profile: a retried beacon counts once" }),
    videoId: entityId("video"),
    sessionId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "1–64 characters of A–Z, a–z, 0–9, _ and -")
      .openapi({ description: "One player session (a page load of the player)" }),
    kind: z.enum(BEACON_KINDS),
    positionMs: Millis.openapi({ description: "Playhead position" }),
    playedMs: Millis.optional().openapi({
      description: "Media played since this session's previous beacon (capped server-side)",
    }),
    occurredAt: z.iso
      .datetime({ offset: true })
      .openapi({ description: "When the player sent it (ISO 8601)" }),
  })
  .openapi("PlaybackBeacon");
export type Beacon = z.infer<typeof Beacon>;

export const BeaconBatch = z
  .strictObject({ beacons: z.array(Beacon).min(1).max(50) })
  .openapi("PlaybackBeaconBatch");

export const REJECT_REASONS = ["video_unavailable", "clock_skew", "too_old"] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const BeaconReceipt = z
  .object({
    accepted: z.number().int().openapi({ description: "Beacons stored now" }),
    duplicates: z.number().int().openapi({ description: "Beacons stored before (a retry), counted once" }),
    rejected: z.array(z.object({ id: z.string(), reason: z.enum(REJECT_REASONS) })),
  })
  .openapi("PlaybackBeaconReceipt");

export const HistoryEntry = z
  .object({
    video: VideoCard,
    positionMs: z.number().int().openapi({ description: "Where to resume" }),
    watchedMs: z.number().int().openapi({ description: "Media played in total" }),
    completed: z.boolean().openapi({ description: "Watched to the end (95%); starting it again clears it" }),
    lastWatchedAt: z.string(),
  })
  .openapi("HistoryEntry");

export const HistoryPage = pageOf("HistoryPage", HistoryEntry);

export const HistorySettings = z
  .strictObject({
    paused: z.boolean().openapi({
      description: "While paused, playback is still counted (views) but not added to history or taste",
    }),
  })
  .openapi("HistorySettings");
