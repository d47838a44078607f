/**
 * Keeps the player's concurrent-stream slot alive (no React, no network: the transport is given,
 * so the rules are unit-tested on their own).
 *
 * - Heartbeat every `heartbeatSeconds` while playing, and while paused (or not started yet) for
 *   `pauseGraceMs` more: a viewer who stepped away for the kettle keeps the slot, one who left the
 *   tab paused for an hour lets it lapse so another screen of the account can play.
 * - A heartbeat answered 404 means the slot lapsed (or was never ours): ask for playback again with
 *   `?streamId=` so the edge re-uses it or hands a new one; a refusal (too_many_streams) is
 *   reported and the heartbeats stop until `retry()`.
 * - `ended()` (the video ended) and `stop()` (unmount, pagehide) release the slot at once; a play
 *   after `ended()` acquires one again.
 * - Heartbeats never overlap: a slow answer is waited for, the next tick is skipped meanwhile.
 */

export interface StreamGrant {
  streamId: string;
  heartbeatSeconds: number;
}

export interface StreamTransport {
  /** "ok" (204) or "lapsed" (404); throws on anything else (a network blip: the next tick retries). */
  heartbeat(streamId: string): Promise<"ok" | "lapsed">;
  /** Playback asked for again with `?streamId=`: the new grant (null: this playback holds no stream). Throws when refused. */
  reissue(streamId: string): Promise<StreamGrant | null>;
  /** Ends the stream; must survive the page going away (keepalive). */
  release(streamId: string): void;
}

export interface StreamHeartbeatOptions {
  transport: StreamTransport;
  /** The edge refused a stream (too_many_streams, or whatever else reissue threw). */
  onRefused: (error: unknown) => void;
  /**
   * Whether a failed re-issue is a refusal (stop and report) rather than a blip (a dropped
   * connection, a 5xx: the next tick tries again). Default: every failure is a refusal.
   */
  isRefusal?: (error: unknown) => boolean;
  /** A refusal was lifted by retry() or a later play. */
  onResumed?: () => void;
  /** How long a paused (or not yet started) player keeps its slot. */
  pauseGraceMs?: number;
  now?: () => number;
}

export const PAUSE_GRACE_MS = 3 * 60_000;

export interface StreamHeartbeat {
  playing(): void;
  paused(): void;
  ended(): void;
  stop(): void;
  retry(): Promise<void>;
  /** The stream held now (null once released or refused). */
  current(): string | null;
}

export function createStreamHeartbeat(grant: StreamGrant, options: StreamHeartbeatOptions): StreamHeartbeat {
  const { transport, onRefused, onResumed, isRefusal = () => true } = options;
  const grace = options.pauseGraceMs ?? PAUSE_GRACE_MS;
  const now = options.now ?? Date.now;
  let streamId = grant.streamId;
  let intervalMs = Math.max(1, grant.heartbeatSeconds) * 1000;
  // Mounted counts as paused: the slot was taken when playback was issued, before any play.
  let pausedAt: number | null = now();
  let released = false;
  let refused = false;
  let stopped = false;
  let inFlight = false;
  let timer: ReturnType<typeof setInterval> | null = null;

  const clear = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  const schedule = () => {
    clear();
    if (!stopped && !released && !refused) timer = setInterval(() => void tick(), intervalMs);
  };
  const idle = () => pausedAt !== null && now() - pausedAt > grace;

  /** Asks for playback again with the stream we had; a refusal stops the heartbeats. */
  async function reacquire(): Promise<void> {
    try {
      const next = await transport.reissue(streamId);
      if (stopped) {
        // Unmounted while asking: give back what we were just handed.
        if (next) transport.release(next.streamId);
        return;
      }
      if (!next) {
        released = true;
        clear();
        return;
      }
      streamId = next.streamId;
      intervalMs = Math.max(1, next.heartbeatSeconds) * 1000;
      released = false;
      if (refused) {
        refused = false;
        onResumed?.();
      }
      schedule();
    } catch (error) {
      // A blip: still lapsed; the next tick's heartbeat (404 again) asks once more.
      if (stopped || !isRefusal(error)) return;
      refused = true;
      clear();
      onRefused(error);
    }
  }

  async function tick(): Promise<void> {
    if (inFlight || stopped || released || refused || idle()) return;
    inFlight = true;
    try {
      const answer = await transport.heartbeat(streamId).catch(() => "error" as const);
      if (answer === "lapsed" && !stopped) await reacquire();
    } finally {
      inFlight = false;
    }
  }

  const release = () => {
    clear();
    if (!released && !refused) transport.release(streamId);
    released = true;
  };

  schedule();
  return {
    playing() {
      if (stopped) return;
      const wasIdle = idle();
      pausedAt = null;
      // After ended() (released) or a refusal, playing again needs a stream first.
      if (released || refused) {
        if (!inFlight) {
          inFlight = true;
          void reacquire().finally(() => {
            inFlight = false;
          });
        }
        return;
      }
      // Back from a long pause: the slot has most likely lapsed; find out now, not a tick later.
      if (wasIdle) void tick();
      if (!timer) schedule();
    },
    paused() {
      pausedAt ??= now();
    },
    ended() {
      pausedAt ??= now();
      release();
    },
    stop() {
      if (stopped) return;
      release();
      stopped = true;
    },
    async retry() {
      if (stopped) return;
      await reacquire();
    },
    current: () => (released || refused || stopped ? null : streamId),
  };
}
