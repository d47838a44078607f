/**
 * Concurrent streams: what playback issuance and the stream routes call. One AccountStreams object
 * per account holds the live playbacks (object.ts); this file speaks to it and turns its answers
 * into the API's shapes and problems.
 */
import type { z } from "@hono/zod-openapi";
import type { Config } from "../../config";
import { AppError } from "../../lib/errors";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import { type AccountStreams, MAX_DEVICE_LENGTH, type StreamView } from "./object";
import type { ActiveStreamSchema } from "./schemas";

/** What this file uses of the services (a full `Services` does; tests pass just these). */
export type StreamServices = Pick<Services, "env" | "config">;

/** How often the player sends a heartbeat (playback answers it as `heartbeatSeconds`). */
export const HEARTBEAT_SECONDS = 30;

/**
 * The heartbeat interval playback hands out: 30 s, or a third of a shorter lapse, so a player
 * that beats on time never loses its slot between two beats whatever STREAM_LAPSE_SECONDS says.
 */
export function heartbeatSeconds(config: Config): number {
  return Math.max(1, Math.min(HEARTBEAT_SECONDS, Math.floor(config.billing.streamLapseSeconds / 3)));
}

/** A live stream as the API shows it (the too_many_streams problem and GET /me/streams). */
export type ActiveStream = z.infer<typeof ActiveStreamSchema>;

/** The account's streams object (its name is the account id: nobody reaches another's). */
export function accountStreams(env: Env, accountId: string): DurableObjectStub<AccountStreams> {
  return env.ACCOUNT_STREAMS.get(env.ACCOUNT_STREAMS.idFromName(accountId));
}

const shown = (v: StreamView): ActiveStream => ({
  streamId: v.streamId,
  profileId: v.profileId,
  device: v.device,
  startedAt: new Date(v.startedAt).toISOString(),
  lastSeenAt: new Date(v.lastSeenAt).toISOString(),
});

const streamsWord = (n: number) => `${n} stream${n === 1 ? "" : "s"}`;

/**
 * Takes a slot for a signed-in caller's playback (or renews `streamId`, the caller's own live
 * stream, without taking another). Throws `too_many_streams` with the live ones when all `limit`
 * slots are in use. An unknown or lapsed `streamId` is not reused: a new stream is started.
 */
export async function acquireStream(
  s: StreamServices,
  input: {
    accountId: string;
    profileId: string | null;
    limit: number;
    streamId?: string;
    /** The caller's session: a session holds at most one stream (object.ts, AcquireInput). */
    sessionId?: string;
    device: string;
    videoId: string;
  },
): Promise<{ streamId: string }> {
  const result = await accountStreams(s.env, input.accountId).acquire({
    streamId: input.streamId ?? null,
    sessionId: input.sessionId ?? null,
    profileId: input.profileId,
    device: input.device,
    videoId: input.videoId,
    limit: input.limit,
    // STREAM_LAPSE_SECONDS (default 90, at most 120: config.ts); the object clamps it again.
    lapseSeconds: s.config.billing.streamLapseSeconds,
  });
  if (result.ok) return { streamId: result.streamId };
  throw new AppError(
    "too_many_streams",
    `Your plan allows ${streamsWord(input.limit)} at once and all are in use: stop watching on ` +
      "one of these devices, or upgrade your plan, to watch here.",
    { extensions: { limit: input.limit, activeStreams: result.active.map(shown) } },
  );
}

const ENDED = "This stream has ended; ask for playback again";

/** Keeps the caller's stream alive; 404 once it ended or lapsed (the player re-asks playback). */
export async function heartbeatStream(s: StreamServices, actor: Actor, streamId: string): Promise<void> {
  const live = await accountStreams(s.env, actor.accountId).heartbeat(streamId, {
    lapseSeconds: s.config.billing.streamLapseSeconds,
  });
  if (!live) throw new AppError("not_found", ENDED);
}

/**
 * Ends a stream of the caller's account at once (the player closed, or a person frees a slot from
 * the list). A kids profile ends only its own profile's streams. 404 when there is no such live stream.
 */
export async function endStream(s: StreamServices, actor: Actor, streamId: string): Promise<void> {
  const ownOnly = actor.profileMaturity === "kids" && actor.profileId ? { profileId: actor.profileId } : {};
  const ended = await accountStreams(s.env, actor.accountId).end(streamId, ownOnly);
  if (!ended) throw new AppError("not_found", "No such stream: it has ended already");
}

/** The account's live streams, every profile's, oldest first. */
export async function listStreams(s: StreamServices, actor: Actor): Promise<{ items: ActiveStream[] }> {
  const live = await accountStreams(s.env, actor.accountId).list();
  return { items: live.map(shown) };
}

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\b(?:OPR|Opera)\//, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\b(?:Firefox|FxiOS)\//, "Firefox"],
  [/\b(?:CriOS|Chrome|Chromium)\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\b(?:SMART-TV|SmartTV|Tizen|Web0S|webOS|BRAVIA|HbbTV|AFT[A-Z])/, "Smart TV"],
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\b(?:Macintosh|Mac OS X)\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

/** Systems that name a device already ("iPhone", not "iPhone device"). */
const DEVICES = new Set(["Smart TV", "iPhone", "iPad"]);

const first = (table: [RegExp, string][], ua: string) => table.find(([re]) => re.test(ua))?.[1];

/**
 * A short human label for the device a playback runs on, from its User-Agent ("Chrome on Linux",
 * "Safari on iPhone"; "Unknown device" when nothing is recognised). Built only from the constants
 * above, never from the header's text, so nothing a client sends is echoed into the list.
 */
export function deviceLabel(userAgent: string | undefined): string {
  const ua = (userAgent ?? "").slice(0, 512);
  const browser = first(BROWSERS, ua);
  const system = first(SYSTEMS, ua);
  let label = "Unknown device";
  if (browser && system) label = `${browser} on ${system}`;
  else if (browser) label = browser;
  else if (system) label = DEVICES.has(system) ? system : `${system} device`;
  return label.slice(0, MAX_DEVICE_LENGTH);
}
