/**
 * Kids profiles are not told of videos they may not see (security finding 6): fan-out skips them,
 * and the inbox list, the unread count, mark-read and live pushes apply the profile's CURRENT
 * maturity and the video's CURRENT rating (re-rated above the profile, deleted or gone: hidden).
 */
import { env } from "cloudflare:test";
import { inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertVideo, testDb } from "../../../test/fixtures";
import {
  apiJson,
  eventually,
  listPages,
  type SeededProfile,
  seedAccount,
  seedCastBeforeAll,
} from "../../../test/harness";
import { videos } from "../../db/schema";
import { subscribe } from "../subscriptions/test-utils";
import { notificationsEventHandlers } from "./events";
import { notificationId } from "./ids";
import {
  connectLive,
  inbox,
  type LiveSocket,
  type NotificationPage,
  publishVideo,
  sleep,
} from "./test-utils";
import type { NotificationInput, NotificationView } from "./types";

const publish = publishVideo;

const page = (token: string) =>
  apiJson<NotificationPage>("/api/v1/me/notifications?limit=100", 200, { token });
const unread = async (token: string) =>
  (await apiJson<{ unread: number }>("/api/v1/me/notifications/unread-count", 200, { token })).unread;
const videoIds = (p: NotificationPage) => p.items.map((i) => i.data.videoId);
const pushedVideos = (live: LiveSocket) =>
  live.frames.flatMap((f) => (f.type === "notification" ? [f.notification.data.videoId] : []));

describe("fan-out and the inbox apply the profile's maturity", () => {
  const cast = seedCastBeforeAll("mat", {
    creator: { channel: true },
    family: { profiles: [{ name: "Kid", maturity: "kids" }] },
  });
  let kid: SeededProfile;
  let grownUp: SeededProfile;

  beforeAll(async () => {
    [grownUp, kid] = cast.family.profiles as [SeededProfile, SeededProfile];
    for (const p of [grownUp, kid]) await subscribe(p.token, cast.creator.channelId as string);
  });

  it("a subscribed kids profile gets nothing for an adult video (inbox, count, live) but does get a kids video", async () => {
    const live = await connectLive(kid.token);
    await live.next((f) => f.type === "hello");
    const before = await unread(kid.token);

    const adult = await insertVideo(cast.creator, { maturity: "adult" });
    await publish(cast.creator, adult);
    // The grown-up heard of it, so the fan-out is done.
    await eventually(async () => videoIds(await page(grownUp.token)).includes(adult));
    expect(videoIds(await page(kid.token))).not.toContain(adult);
    expect(await unread(kid.token)).toBe(before);

    const kids = await insertVideo(cast.creator, { maturity: "kids" });
    await publish(cast.creator, kids);
    await live.next((f) => f.type === "notification" && f.notification.data.videoId === kids);
    expect(videoIds(await page(kid.token))).toContain(kids);
    expect(await unread(kid.token)).toBe(before + 1);
    expect(pushedVideos(live)).toEqual([kids]);
    live.close();
  });

  it("a video raised above a profile's level after delivery leaves its inbox (list, unread, mark-read, live); a deleted one leaves every inbox", async () => {
    const video = await insertVideo(cast.creator, { maturity: "kids" });
    await publish(cast.creator, video);
    await eventually(async () => videoIds(await page(kid.token)).includes(video));
    expect(videoIds(await page(grownUp.token))).toContain(video);
    const kidUnread = await unread(kid.token);
    const grownUpUnread = await unread(grownUp.token);

    // The creator re-rates it: kids → adult.
    await apiJson(`/api/v1/videos/${video}`, 200, {
      method: "PATCH",
      token: cast.creator.accessToken,
      json: { maturity: "adult" },
    });
    const kidPage = await page(kid.token);
    expect(videoIds(kidPage)).not.toContain(video);
    expect(kidPage.unread).toBe(kidUnread - 1);
    expect(await unread(kid.token)).toBe(kidUnread - 1);
    // The grown-up still has it.
    expect(videoIds(await page(grownUp.token))).toContain(video);
    expect(await unread(grownUp.token)).toBe(grownUpUnread);
    // The kid cannot mark it read by id either (its id is derived, so it can be named).
    const hiddenId = await notificationId(`evt_published_${video}`, kid.id);
    expect(
      await apiJson("/api/v1/me/notifications/read", 200, {
        method: "POST",
        token: kid.token,
        json: { ids: [hiddenId] },
      }),
    ).toEqual({ updated: 0, unread: kidUnread - 1 });

    // Live: the hello and the next notification count without it.
    const live = await connectLive(kid.token);
    expect(await live.next((f) => f.type === "hello")).toEqual({ type: "hello", unread: kidUnread - 1 });
    const next = await insertVideo(cast.creator, { maturity: "kids" });
    await publish(cast.creator, next);
    const frame = await live.next((f) => f.type === "notification" && f.notification.data.videoId === next);
    expect(frame).toMatchObject({ unread: kidUnread });
    live.close();

    // Deleted: its notification leaves every inbox, the grown-up's too.
    await eventually(async () => videoIds(await page(grownUp.token)).includes(next));
    await apiJson(`/api/v1/videos/${next}`, 204, { method: "DELETE", token: cast.creator.accessToken });
    expect(videoIds(await page(kid.token))).not.toContain(next);
    expect(await unread(kid.token)).toBe(kidUnread - 1);
    expect(videoIds(await page(grownUp.token))).not.toContain(next);
    expect(await unread(grownUp.token)).toBe(grownUpUnread);

    // "Mark all read" leaves the hidden one alone: rated kids again, it is back, still unread.
    expect(
      await apiJson("/api/v1/me/notifications/read", 200, {
        method: "POST",
        token: kid.token,
        json: { all: true },
      }),
    ).toEqual({ updated: kidUnread - 1, unread: 0 });
    await apiJson(`/api/v1/videos/${video}`, 200, {
      method: "PATCH",
      token: cast.creator.accessToken,
      json: { maturity: "kids" },
    });
    const back = await page(kid.token);
    expect(back.items.find((i) => i.data.videoId === video)).toMatchObject({ read: false });
    expect(back.unread).toBe(1);
  });

  it("an inbox naming more videos than one D1 statement can bind checks every one of them", async () => {
    const household = await seedAccount({ tag: "matmany", profiles: [{ name: "Kid", maturity: "kids" }] });
    const child = household.profiles[1] as SeededProfile;
    const count = 150;
    const prefix = `vid_${child.id.toLowerCase().replace(/[^a-z0-9]/g, "")}`;
    const ids = Array.from({ length: count }, (_, i) => `${prefix}_${String(i + 1).padStart(3, "0")}`);
    await Promise.all(ids.map((id) => insertVideo(cast.creator, { id, title: "Many", maturity: "kids" })));
    const items = await Promise.all(
      ids.map(
        async (videoId): Promise<NotificationInput> => ({
          id: await notificationId(`evt_many_${videoId}`, child.id),
          type: "video.published",
          data: { videoId, title: "Many", maturity: "kids" },
          createdAt: Date.now(),
          maturity: "kids",
        }),
      ),
    );
    await inbox(child.id).deliver(items);
    expect(await unread(child.token)).toBe(count);

    // One video in the first group of ids, one in the last.
    const raised = [ids[3], ids[count - 2]] as string[];
    await testDb().update(videos).set({ maturity: "teen" }).where(inArray(videos.id, raised));
    expect(await unread(child.token)).toBe(count - 2);
    const pages = await listPages<NotificationView>("/api/v1/me/notifications", child.token, 100);
    const listed = pages.flatMap((p) => p.items.map((i) => String(i.data.videoId)));
    expect(listed).toHaveLength(count - 2);
    expect(listed).not.toContain(raised[0]);
    expect(listed).not.toContain(raised[1]);
  });

  it("a comment reply on an adult video reaches a grown-up parent author, not a kids one", async () => {
    const handle = notificationsEventHandlers["comment.replied"]?.[0];
    const adult = await insertVideo(cast.creator, { maturity: "adult" });
    const replyTo = async (parent: SeededProfile) => {
      const id = `evt_reply_${adult}_${parent.id}`;
      await handle?.(
        {
          id,
          type: "comment.replied",
          occurredAt: new Date().toISOString(),
          payload: {
            commentId: `cmt_${adult}`,
            parentId: `cmt_parent_${adult}`,
            videoId: adult,
            authorProfileId: cast.creator.profileId,
            parentAuthorProfileId: parent.id,
            excerpt: "hi",
          },
        },
        env,
      );
      // Read unfiltered: was it stored at all?
      const box = await inbox(parent.id).list(null, 100, "adult");
      return box.items.find((i) => i.id === id || i.data.commentId === `cmt_${adult}`);
    };
    expect(await replyTo(grownUp)).toMatchObject({ type: "comment.replied", data: { maturity: "adult" } });
    expect(await replyTo(kid)).toBeUndefined();
  });

  it("lowering a profile to kids hides adult notifications already delivered (list, unread, live); raising shows them again", async () => {
    // The lowered profile is the account's second; the first (grown-up) manages it.
    const user = await seedAccount({ tag: "matlower", profiles: [{ name: "Lowered" }] });
    const manager = user.accessToken;
    const target = user.profiles[1] as SeededProfile;
    const token = target.token;
    // Each names a real video of that rating (the inbox hides notifications of videos gone from D1).
    const named = new Map<string, string>();
    const rated = async (maturity: "kids" | "adult", tag: string): Promise<NotificationInput> => {
      const source = `evt_lower_${target.id}_${tag}`;
      const videoId = await insertVideo(cast.creator, { maturity });
      named.set(videoId, `vid_${tag}`);
      return {
        id: await notificationId(source, target.id),
        type: "video.published",
        data: { videoId, title: tag, maturity },
        createdAt: Date.now(),
        maturity,
      };
    };
    const tags = (p: NotificationPage) => videoIds(p).map((id) => named.get(id as string));
    await inbox(target.id).deliver([await rated("adult", "a1"), await rated("kids", "k1")]);
    expect(tags(await page(token))).toEqual(["vid_k1", "vid_a1"]);
    expect(await unread(token)).toBe(2);

    const live = await connectLive(token);
    await live.next((f) => f.type === "hello");
    await apiJson(`/api/v1/me/profiles/${target.id}`, 200, {
      method: "PATCH",
      token: manager,
      json: { maturity: "kids" },
    });
    expect(tags(await page(token))).toEqual(["vid_k1"]);
    expect(await unread(token)).toBe(1);
    // Marking all read leaves the hidden one alone.
    expect(
      await apiJson("/api/v1/me/notifications/read", 200, { method: "POST", token, json: { all: true } }),
    ).toEqual({ updated: 1, unread: 0 });

    // Live: an adult notification delivered now is not pushed; a kids one is, with the kids count.
    await inbox(target.id).deliver([await rated("adult", "a2")]);
    await inbox(target.id).deliver([await rated("kids", "k2")]);
    const frame = await live.next(
      (f) => f.type === "notification" && named.get(f.notification.data.videoId as string) === "vid_k2",
    );
    expect(frame).toMatchObject({ unread: 1 });
    await sleep(200);
    expect(pushedVideos(live).map((id) => named.get(id as string))).toEqual(["vid_k2"]);
    live.close();

    await apiJson(`/api/v1/me/profiles/${target.id}`, 200, {
      method: "PATCH",
      token: manager,
      json: { maturity: "adult" },
    });
    expect(tags(await page(token))).toEqual(["vid_k2", "vid_a2", "vid_k1", "vid_a1"]);
    expect(await unread(token)).toBe(3);
  });
});
