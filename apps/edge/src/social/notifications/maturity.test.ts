/**
 * Kids profiles are not told of videos they may not see (security finding 6): fan-out skips them,
 * and the inbox list, the unread count and live pushes apply the profile's CURRENT maturity.
 */
import { env } from "cloudflare:test";
import type { VideoPublished } from "@marquee/shared";
import { beforeAll, describe, expect, it } from "vitest";
import {
  apiJson,
  eventually,
  type SeededAccount,
  type SeededProfile,
  seedAccount,
} from "../../../test/harness";
import { publishEvent } from "../../events/publish";
import { notificationsEventHandlers } from "./events";
import { notificationId } from "./ids";
import { connectLive, inbox, insertVideo, type LiveSocket, sleep } from "./test-utils";
import type { InboxPage, NotificationInput } from "./types";

async function publish(owner: SeededAccount, videoId: string) {
  const event = await publishEvent<VideoPublished>(
    env,
    "video.published",
    {
      videoId,
      channelId: owner.channelId as string,
      accountId: owner.accountId,
      title: "t",
      visibility: "public",
    },
    { id: `evt_published_${videoId}` },
  );
  await eventually(
    () =>
      env.DB.prepare("SELECT id FROM processed_events WHERE id = ?").bind(event.id).first<{ id: string }>(),
    15_000,
  );
}

const page = (token: string) => apiJson<InboxPage>("/api/v1/me/notifications?limit=100", 200, { token });
const unread = async (token: string) =>
  (await apiJson<{ unread: number }>("/api/v1/me/notifications/unread-count", 200, { token })).unread;
const videoIds = (p: InboxPage) => p.items.map((i) => i.data.videoId);
const pushedVideos = (live: LiveSocket) =>
  live.frames.flatMap((f) => (f.type === "notification" ? [f.notification.data.videoId] : []));

describe("fan-out and the inbox apply the profile's maturity", () => {
  let creator: SeededAccount;
  let family: SeededAccount;
  let kid: SeededProfile;
  let grownUp: SeededProfile;

  beforeAll(async () => {
    [creator, family] = await Promise.all([
      seedAccount({ tag: "matcreator", channel: true }),
      seedAccount({ tag: "matfamily", profiles: [{ name: "Kid", maturity: "kids" }] }),
    ]);
    [grownUp, kid] = family.profiles as [SeededProfile, SeededProfile];
    for (const p of [grownUp, kid]) {
      await apiJson(`/api/v1/channels/${creator.channelId}/subscription`, 200, {
        method: "PUT",
        token: p.token,
        json: { level: "all" },
      });
    }
  });

  it("a subscribed kids profile gets nothing for an adult video (inbox, count, live) but does get a kids video", async () => {
    const live = await connectLive(kid.token);
    await live.next((f) => f.type === "hello");
    const before = await unread(kid.token);

    const adult = await insertVideo(creator, { maturity: "adult" });
    await publish(creator, adult);
    // The grown-up heard of it, so the fan-out is done.
    await eventually(async () => videoIds(await page(grownUp.token)).includes(adult));
    expect(videoIds(await page(kid.token))).not.toContain(adult);
    expect(await unread(kid.token)).toBe(before);

    const kids = await insertVideo(creator, { maturity: "kids" });
    await publish(creator, kids);
    await live.next((f) => f.type === "notification" && f.notification.data.videoId === kids);
    expect(videoIds(await page(kid.token))).toContain(kids);
    expect(await unread(kid.token)).toBe(before + 1);
    expect(pushedVideos(live)).toEqual([kids]);
    live.close();
  });

  it("a comment reply on an adult video reaches a grown-up parent author, not a kids one", async () => {
    const handle = notificationsEventHandlers["comment.replied"]?.[0];
    const adult = await insertVideo(creator, { maturity: "adult" });
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
            authorProfileId: creator.profileId,
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
    const rated = async (maturity: "kids" | "adult", tag: string): Promise<NotificationInput> => {
      const source = `evt_lower_${target.id}_${tag}`;
      return {
        id: await notificationId(source, target.id),
        type: "video.published",
        data: { videoId: `vid_${tag}`, title: tag, maturity },
        createdAt: Date.now(),
        maturity,
      };
    };
    await inbox(target.id).deliver([await rated("adult", "a1"), await rated("kids", "k1")]);
    expect(videoIds(await page(token))).toEqual(["vid_k1", "vid_a1"]);
    expect(await unread(token)).toBe(2);

    const live = await connectLive(token);
    await live.next((f) => f.type === "hello");
    await apiJson(`/api/v1/me/profiles/${target.id}`, 200, {
      method: "PATCH",
      token: manager,
      json: { maturity: "kids" },
    });
    expect(videoIds(await page(token))).toEqual(["vid_k1"]);
    expect(await unread(token)).toBe(1);
    // Marking all read leaves the hidden one alone.
    expect(
      await apiJson("/api/v1/me/notifications/read", 200, { method: "POST", token, json: { all: true } }),
    ).toEqual({ updated: 1, unread: 0 });

    // Live: an adult notification delivered now is not pushed; a kids one is, with the kids count.
    await inbox(target.id).deliver([await rated("adult", "a2")]);
    await inbox(target.id).deliver([await rated("kids", "k2")]);
    const frame = await live.next(
      (f) => f.type === "notification" && f.notification.data.videoId === "vid_k2",
    );
    expect(frame).toMatchObject({ unread: 1 });
    await sleep(200);
    expect(pushedVideos(live)).toEqual(["vid_k2"]);
    live.close();

    await apiJson(`/api/v1/me/profiles/${target.id}`, 200, {
      method: "PATCH",
      token: manager,
      json: { maturity: "adult" },
    });
    expect(videoIds(await page(token))).toEqual(["vid_k2", "vid_a2", "vid_k1", "vid_a1"]);
    expect(await unread(token)).toBe(3);
  });
});
