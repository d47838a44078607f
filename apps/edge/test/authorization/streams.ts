import { expect } from "vitest";
import type { StreamView } from "../../src/playback/streams/object";
import { lapse, streamsOf } from "../../src/playback/streams/test-utils";
import type { SeededAccount } from "../harness";
import { signedIn } from "./intruders";
import type { MatrixEntry } from "./matrix";
import { afterRefusals } from "./phases";

const OWN_STREAMS =
  "acts on the caller's own account's streams: the object is addressed by the caller's account id, " +
  "so another account's stream id is not found (404)";

/** Streams started for the matrix's requests, with what they looked like when started. */
const started: { accountId: string; stream: StreamView }[] = [];

/**
 * A live stream of `as`'s first profile, started straight on its object (playback issuance is not
 * what this matrix tests). The limit is generous; every one is ended again (afterRefusals, settle),
 * so none keeps holding a slot of the shared accounts.
 */
async function liveStream(as: SeededAccount): Promise<string> {
  const streams = streamsOf(as.accountId);
  const result = await streams.acquire({
    profileId: as.profileId,
    device: "Authorisation matrix",
    videoId: "video_matrix",
    limit: 20,
    ...lapse(),
  });
  if (!result.ok) throw new Error(`no stream for the matrix: ${JSON.stringify(result)}`);
  const stream = (await streams.list()).find((s) => s.streamId === result.streamId) as StreamView;
  started.push({ accountId: as.accountId, stream });
  return result.streamId;
}

/** Ends every stream the matrix started (idempotent: an ended one answers false). */
async function endStarted(): Promise<void> {
  for (const { accountId, stream } of started.splice(0)) await streamsOf(accountId).end(stream.streamId);
}

afterRefusals("no refused heartbeat or end touched the targeted stream", async () => {
  for (const { accountId, stream } of started) {
    const live = (await streamsOf(accountId).list()).find((s) => s.streamId === stream.streamId);
    // Still live, and not refreshed: an intruder's heartbeat never reached it.
    expect(live).toEqual(stream);
  }
  await endStarted();
});

export const STREAMS_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /api/v1/playback/streams/{streamId}/heartbeat",
    request: async (_w, as) => ({ path: `/api/v1/playback/streams/${await liveStream(as)}/heartbeat` }),
    refuse: { ...signedIn, otherAccount: 404, viewer: 404 },
    owner: { status: 204, settle: endStarted },
  },
  {
    operation: "DELETE /api/v1/playback/streams/{streamId}",
    request: async (_w, as) => ({ path: `/api/v1/playback/streams/${await liveStream(as)}` }),
    // The kids caller targets a stream of its own account's first (adult) profile: kids profiles
    // end only their own streams.
    refuse: { ...signedIn, otherAccount: 404, viewer: 404, kids: 404 },
    owner: { status: 204, settle: endStarted },
  },
  {
    operation: "GET /api/v1/me/streams",
    request: () => ({ path: "/api/v1/me/streams" }),
    refuse: signedIn,
    signedInOnly: OWN_STREAMS,
    owner: { status: 200 },
  },
];

/** Mutating stream operations anyone may call, and why (none: every one needs the caller's account). */
export const STREAMS_PUBLIC_OPERATIONS: Record<string, string> = {};
