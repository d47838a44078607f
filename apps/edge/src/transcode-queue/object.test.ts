import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertVideo, testDb } from "../../test/fixtures";
import { eventually, seedAccount, unique } from "../../test/harness";
import { videos } from "../db/schema";
import { LEASE_EXPIRED_REASON, type Lease, leaseLost } from "./job";
import { LEASE, privateQueue } from "./test-utils";

const vid = () => `vid_${unique("q").toLowerCase()}`;
const SECOND = 1000;

/** A lease that is already past its deadline: leased 10 minutes ago for a minute. */
const lapsedLease = { ...LEASE, now: Date.now() - 600 * SECOND };

describe("TranscodeQueue", () => {
  it("enqueue is idempotent while a job is live; lease → heartbeat extends → complete", async () => {
    const queue = privateQueue();
    const videoId = vid();
    const job = await queue.enqueue(videoId);
    expect(job).toMatchObject({ videoId, state: "queued", attempts: 0 });
    expect((await queue.enqueue(videoId)).id).toBe(job.id);

    const t0 = Date.now();
    const lease = (await queue.lease("worker-a", { ...LEASE, now: t0 })) as Lease;
    expect(lease).toMatchObject({ job: { id: job.id, state: "leased", workerId: "worker-a" }, attempt: 1 });
    expect(lease.leaseExpiresAt).toBe(t0 + 60 * SECOND);
    expect(lease.leaseToken.length).toBeGreaterThanOrEqual(40);
    // Still live while leased: enqueue answers the same job.
    expect((await queue.enqueue(videoId)).id).toBe(job.id);

    const beat = await queue.heartbeat(job.id, lease.leaseToken, 42.5, true, { now: t0 + 30 * SECOND });
    expect(beat).toEqual({
      ok: true,
      videoId,
      leaseExpiresAt: t0 + 90 * SECOND,
      progress: 42.5,
      playable: true,
    });
    // playable is sticky within the attempt.
    const later = await queue.heartbeat(job.id, lease.leaseToken, 50, false, { now: t0 + 31 * SECOND });
    expect(later).toMatchObject({ playable: true });

    expect(await queue.complete(job.id, lease.leaseToken)).toEqual({ ok: true, videoId, repeated: false });
    expect(await queue.status(videoId)).toMatchObject({
      state: "completed",
      progress: 100,
      leaseExpiresAt: null,
    });
    // Once finished, the next enqueue makes a new job.
    const again = await queue.enqueue(videoId);
    expect(again.id).not.toBe(job.id);
  });

  it("hands out the oldest queued job first, and null when nothing is queued", async () => {
    const queue = privateQueue();
    expect(await queue.lease("w", LEASE)).toBeNull();
    const t = Date.now();
    const first = await queue.enqueue(vid(), { now: t });
    const second = await queue.enqueue(vid(), { now: t + 1 });
    expect((await queue.lease("w", LEASE))?.job.id).toBe(first.id);
    expect((await queue.lease("w", LEASE))?.job.id).toBe(second.id);
    expect(await queue.lease("w", LEASE)).toBeNull();
  });

  it("a wrong lease token is lost, and does not disturb the holder", async () => {
    const queue = privateQueue();
    const job = await queue.enqueue(vid());
    const lease = (await queue.lease("w", LEASE)) as Lease;
    const forged = `${lease.leaseToken.slice(0, -1)}${lease.leaseToken.endsWith("A") ? "B" : "A"}`;
    expect(await queue.heartbeat(job.id, forged, 10, false)).toEqual(leaseLost);
    expect(await queue.complete(job.id, forged)).toEqual(leaseLost);
    expect(await queue.fail(job.id, forged, "x", false)).toEqual(leaseLost);
    expect(await queue.release(job.id, forged)).toEqual(leaseLost);
    expect(await queue.heartbeat("job_doesnotexist", lease.leaseToken, 10, false)).toEqual(leaseLost);
    expect(await queue.heartbeat(job.id, lease.leaseToken, 10, false)).toMatchObject({ ok: true });
  });

  it("a lapsed lease goes back to the queue; the next worker gets it and the first worker is lost", async () => {
    const queue = privateQueue();
    const job = await queue.enqueue(vid());
    const first = (await queue.lease("worker-a", lapsedLease)) as Lease;
    expect(first.leaseExpiresAt).toBeLessThan(Date.now());
    // The alarm is due (its deadline passed); run it rather than wait for it.
    await runDurableObjectAlarm(queue);
    expect(await queue.status(job.videoId)).toMatchObject({ state: "queued", attempts: 1, workerId: null });

    const second = (await queue.lease("worker-b", LEASE)) as Lease;
    expect(second).toMatchObject({ job: { id: job.id, workerId: "worker-b" }, attempt: 2 });
    expect(second.leaseToken).not.toBe(first.leaseToken);
    expect(await queue.heartbeat(job.id, first.leaseToken, 99, true)).toEqual(leaseLost);
    expect(await queue.complete(job.id, first.leaseToken)).toEqual(leaseLost);
    expect(await queue.complete(job.id, second.leaseToken)).toMatchObject({ repeated: false });
  });

  it("lapse is decided by the deadline, not by when the alarm runs", async () => {
    const queue = privateQueue();
    const job = await queue.enqueue(vid());
    const t0 = Date.now();
    const lease = (await queue.lease("worker-a", { ...LEASE, now: t0 })) as Lease;
    // A minute and a bit later (by the injected clock) no alarm has run, yet the lease is gone...
    expect(await queue.heartbeat(job.id, lease.leaseToken, 5, false, { now: t0 + 61 * SECOND })).toEqual(
      leaseLost,
    );
    // ...and the job is leasable again at once.
    const next = await queue.lease("worker-b", { ...LEASE, now: t0 + 62 * SECOND });
    expect(next).toMatchObject({ job: { id: job.id }, attempt: 2 });
  });

  it("three lapses fail the job with the lease-expired reason, and the alarm writes it to the video row", async () => {
    const owner = await seedAccount({ tag: "jobslapse", channel: true });
    const videoId = await insertVideo(owner, { status: "queued" });
    const queue = privateQueue();
    const job = await queue.enqueue(videoId);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const lease = (await queue.lease(`worker-${attempt}`, lapsedLease)) as Lease;
      expect(lease.attempt).toBe(attempt);
      await runDurableObjectAlarm(queue);
    }
    expect(await queue.status(videoId)).toMatchObject({
      id: job.id,
      state: "failed",
      attempts: 3,
      lastError: LEASE_EXPIRED_REASON,
    });
    expect(await queue.lease("worker-4", LEASE)).toBeNull();
    const row = await eventually(async () => {
      const r = await testDb().select().from(videos).where(eq(videos.id, videoId)).get();
      return r?.status === "failed" ? r : null;
    });
    expect(row.failureReason).toBe(LEASE_EXPIRED_REASON);
    expect((await queue.stats()).outbox).toBe(0);
  });

  it("the final lapse reports the last reason an attempt failed with", async () => {
    const queue = privateQueue();
    const job = await queue.enqueue(vid());
    const a = (await queue.lease("w", LEASE)) as Lease;
    expect(await queue.fail(job.id, a.leaseToken, "ffmpeg exited with 137", true)).toMatchObject({
      state: "queued",
    });
    for (let i = 0; i < 2; i++) {
      await queue.lease("w", lapsedLease);
      await runDurableObjectAlarm(queue);
    }
    expect(await queue.status(job.videoId)).toMatchObject({
      state: "failed",
      lastError: "ffmpeg exited with 137",
    });
  });

  it("20 concurrent lease calls for 4 jobs hand out each job exactly once", async () => {
    const queue = privateQueue();
    const jobs = await Promise.all(Array.from({ length: 4 }, () => queue.enqueue(vid())));
    const leases = await Promise.all(Array.from({ length: 20 }, (_, i) => queue.lease(`worker-${i}`, LEASE)));
    const granted = leases.flatMap((l) => (l === null ? [] : [l as Lease]));
    expect(granted).toHaveLength(4);
    expect(new Set(granted.map((l) => l.job.id))).toEqual(new Set(jobs.map((j) => j.id)));
    expect(new Set(granted.map((l) => l.leaseToken)).size).toBe(4);
    expect((await queue.stats()).jobs).toMatchObject({ queued: 0, leased: 4 });
  });

  it("cancel makes the holder's heartbeat lost, and takes a queued job out of the queue", async () => {
    const queue = privateQueue();
    const held = await queue.enqueue(vid());
    const waiting = await queue.enqueue(vid());
    const lease = (await queue.lease("w", LEASE)) as Lease;
    expect(lease.job.id).toBe(held.id);
    expect(await queue.cancel(held.videoId)).toEqual({ cancelled: true });
    expect(await queue.heartbeat(held.id, lease.leaseToken, 10, false)).toEqual(leaseLost);
    expect(await queue.complete(held.id, lease.leaseToken)).toEqual(leaseLost);
    expect(await queue.cancel(waiting.videoId)).toEqual({ cancelled: true });
    expect(await queue.lease("w", LEASE)).toBeNull();
    expect(await queue.cancel(waiting.videoId)).toEqual({ cancelled: false });
    expect(await queue.status(held.videoId)).toMatchObject({ state: "cancelled" });
  });

  it("release returns the job without counting an attempt; releasing twice is harmless", async () => {
    const queue = privateQueue();
    const job = await queue.enqueue(vid());
    for (let i = 0; i < 5; i++) {
      const lease = (await queue.lease("w", LEASE)) as Lease;
      expect(lease.attempt).toBe(1);
      expect(await queue.release(job.id, lease.leaseToken)).toEqual({ ok: true, videoId: job.videoId });
      expect(await queue.release(job.id, lease.leaseToken)).toEqual({ ok: true, videoId: job.videoId });
      expect(await queue.heartbeat(job.id, lease.leaseToken, 1, false)).toEqual(leaseLost);
    }
    expect(await queue.status(job.videoId)).toMatchObject({ state: "queued", attempts: 0, leases: 5 });
  });

  it("fail: retryable goes back while attempts remain; non-retryable fails at once; repeats are idempotent", async () => {
    const queue = privateQueue();
    const job = await queue.enqueue(vid());
    const one = (await queue.lease("w", LEASE)) as Lease;
    const retry = await queue.fail(job.id, one.leaseToken, "network blip", true);
    expect(retry).toEqual({
      ok: true,
      videoId: job.videoId,
      state: "queued",
      attempts: 1,
      maxAttempts: 3,
      reason: "network blip",
    });
    expect(await queue.fail(job.id, one.leaseToken, "network blip", true)).toEqual(retry);

    const two = (await queue.lease("w", LEASE)) as Lease;
    expect(two.attempt).toBe(2);
    const final = await queue.fail(job.id, two.leaseToken, "no video stream", false);
    expect(final).toMatchObject({ state: "failed", attempts: 2, reason: "no video stream" });
    expect(await queue.lease("w", LEASE)).toBeNull();

    // A retryable failure on the last attempt is final too.
    const other = await queue.enqueue(vid());
    for (let i = 1; i <= 3; i++) {
      const lease = (await queue.lease("w", { ...LEASE })) as Lease;
      const outcome = await queue.fail(other.id, lease.leaseToken, `try ${i}`, true);
      expect(outcome).toMatchObject({ state: i < 3 ? "queued" : "failed", attempts: i });
    }
  });

  it("complete is idempotent for the lease that completed it, and lost for any other", async () => {
    const queue = privateQueue();
    const job = await queue.enqueue(vid());
    const lease = (await queue.lease("w", LEASE)) as Lease;
    expect(await queue.complete(job.id, lease.leaseToken)).toMatchObject({ repeated: false });
    expect(await queue.complete(job.id, lease.leaseToken)).toMatchObject({ repeated: true });
    expect(await queue.verifyLease(job.id, lease.leaseToken)).toEqual(leaseLost);
    expect(await queue.verifyLease(job.id, lease.leaseToken, { orCompleted: true })).toMatchObject({
      videoId: job.videoId,
    });
    expect(await queue.fail(job.id, lease.leaseToken, "late", true)).toEqual(leaseLost);
  });

  it("keeps the alarm at the earliest live lease deadline, and removes it when nothing is leased", async () => {
    const queue = privateQueue();
    const a = await queue.enqueue(vid());
    const b = await queue.enqueue(vid());
    const t0 = Date.now() + 3600 * SECOND; // far enough ahead that the alarm does not fire during the test
    const la = (await queue.lease("w", { ...LEASE, now: t0 })) as Lease;
    const lb = (await queue.lease("w", { ...LEASE, leaseSeconds: 30, now: t0 })) as Lease;
    const alarm = () => runInDurableObject(queue, (_instance, state) => state.storage.getAlarm());
    expect(await alarm()).toBe(lb.leaseExpiresAt);
    await queue.complete(b.id, lb.leaseToken, { now: t0 });
    expect(await alarm()).toBe(la.leaseExpiresAt);
    await queue.heartbeat(a.id, la.leaseToken, 10, false, { now: t0 + 20 * SECOND });
    expect(await alarm()).toBe(t0 + 80 * SECOND);
    await queue.release(a.id, la.leaseToken, { now: t0 });
    expect(await alarm()).toBeNull();
  });

  it("keeps at most one live job per video, even against a direct insert", async () => {
    const queue = privateQueue();
    const job = await queue.enqueue(vid());
    await expect(
      runInDurableObject(queue, (_instance, state) =>
        state.storage.sql.exec(
          "INSERT INTO jobs (id, video_id, state, max_attempts, lease_seconds, created_at, updated_at) VALUES ('job_dup', ?, 'queued', 3, 60, 0, 0)",
          job.videoId,
        ),
      ),
    ).rejects.toThrow(/UNIQUE/);
  });
});
