import { z } from "@hono/zod-openapi";
import { PLAYBACK_ERROR_TYPES, TRAFFIC_SOURCES } from "@marquee/shared";
import { VideoCard } from "../catalog/cards";
import { REASON_TYPES } from "../feed/schemas";
import { pageOf } from "../lib/pagination";
import { entityId } from "../lib/params";

export const BEACON_KINDS = ["start", "heartbeat", "end", "request", "error"] as const;
export type BeaconKind = (typeof BEACON_KINDS)[number];
/** The kinds that build watch history, views, affinities and premium time; `request` and `error` are raw analytics only. */
export const HISTORY_KINDS: readonly BeaconKind[] = ["start", "heartbeat", "end"];

/** A position or duration in milliseconds, up to a day (longer than any upload). */
const Millis = z.number().int().min(0).max(86_400_000);
/**
 * A QoE number: any integer within ±2^31. The schema is broad on purpose: an impossible value (a
 * negative duration, a startup of hours) refuses only its own beacon (`impossible_value`), not the batch.
 */
const QoeInt = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 31);
const MAX_RENDITIONS = 12;
/**
 * A rendition label's shape on the wire ("720p", "audio"). Broader than the ladder's
 * RENDITION_PATTERN on purpose: a label of another height drops that entry, not the batch
 * (analytics/beacon-qoe.ts).
 */
const RENDITION_LABEL = /^(?:\d{3,4}p|audio)$/;

export const BeaconQoe = z
  .strictObject({
    startupMs: QoeInt.optional().openapi({
      description:
        "Play request → first frame (ms). Once per session, on the first beacon sent after the first frame; " +
        "over 10 minutes refuses the beacon",
    }),
    rebufferCount: QoeInt.optional().openapi({
      description:
        "Stalls (waiting after the first frame, not caused by a seek) since the session's previous beacon; " +
        "more than 1 + one per 100 ms of the allowed wall time refuses the beacon",
    }),
    rebufferMs: QoeInt.optional().openapi({
      description:
        "Time stalled since the session's previous beacon (ms); more than the wall time since then + 5 s " +
        "(at most 65 s) refuses the beacon",
    }),
    renditions: z
      .record(
        z.string().regex(RENDITION_LABEL, 'A rendition label: "720p" or "audio"'),
        z.strictObject({
          playedMs: QoeInt.openapi({
            description: "Media played in this rendition since the previous beacon",
          }),
          rebufferMs: QoeInt.openapi({ description: "Stalls that began while this rendition played" }),
        }),
      )
      .refine((r) => Object.keys(r).length <= MAX_RENDITIONS, `At most ${MAX_RENDITIONS} renditions`)
      .optional()
      .openapi({
        description:
          'Time per rendition label ("720p") since the previous beacon, at most 12; their sum beyond the wall ' +
          "time since then + 5 s (at most 65 s) refuses the beacon. A label that is none of the ladder's " +
          "heights (nor `audio`) is dropped",
      }),
    switches: QoeInt.optional().openapi({
      description:
        "Rendition switches since the previous beacon; more than 1 + one per 100 ms of the allowed wall time " +
        "refuses the beacon",
    }),
    error: z
      .strictObject({
        type: z
          .enum(PLAYBACK_ERROR_TYPES)
          .openapi({ description: "hls.js error type, or mediaElementError" }),
        details: z
          .string()
          .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "1–64 characters of A–Z, a–z, 0–9, _ . : and -")
          .optional()
          .openapi({ description: "hls.js error details (e.g. manifestLoadError)" }),
      })
      .optional()
      .openapi({ description: "The fatal playback error (on kind `error`)" }),
  })
  .openapi("PlaybackBeaconQoe", {
    description: "Quality-of-experience facts since the session's previous beacon",
  });

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
    kind: z.enum(BEACON_KINDS).openapi({
      description:
        "`request`: play was requested (before the first frame); `start`: the content's first frame; " +
        "`heartbeat` and `end` during and after playback; `error`: a fatal playback error. `request` and " +
        "`error` beacons feed analytics only (no history, views or watch time)",
    }),
    positionMs: Millis.openapi({
      description: "Playhead position; past the video's duration it is stored as the duration",
    }),
    playedMs: Millis.optional().openapi({
      description: "Media played since this session's previous beacon (capped server-side)",
    }),
    occurredAt: z.iso
      .datetime({ offset: true })
      .openapi({ description: "When the player sent it (ISO 8601)" }),
    source: z.enum(TRAFFIC_SOURCES).optional().openapi({
      description: "Where the view came from (sent on the `request` beacon)",
    }),
    feedRow: z.enum(REASON_TYPES).optional().openapi({
      description: "The home feed row's reason type, with source `feed` (ignored with any other source)",
    }),
    playerVersion: z
      .string()
      .regex(/^[A-Za-z0-9._+-]{1,32}$/, "1–32 characters of A–Z, a–z, 0–9, . _ + and -")
      .optional()
      .openapi({ description: "The player's version, e.g. web-1.0.0+hls-1.7.4" }),
    qoe: BeaconQoe.optional(),
    ranges: z
      .array(z.tuple([QoeInt, QoeInt]))
      .max(20)
      .optional()
      .openapi({
        description:
          "Content time played since the session's previous beacon as [fromMs, toMs] pairs (a seek closes a " +
          "range), at most 20; kept on `start`, `heartbeat` and `end` beacons only. A range with toMs < fromMs, " +
          "or ranges longer in total than twice the allowed wall time (the fastest playback rate) + 5 s, " +
          "refuse the beacon; past the duration they are clamped",
      }),
  })
  .openapi("PlaybackBeacon");
export type Beacon = z.infer<typeof Beacon>;

export const BeaconBatch = z
  .strictObject({ beacons: z.array(Beacon).min(1).max(50) })
  .openapi("PlaybackBeaconBatch");

export const REJECT_REASONS = [
  "video_unavailable",
  "clock_skew",
  "too_old",
  "impossible_value",
  "too_many_sessions",
] as const;
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
