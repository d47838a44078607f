import { env } from "cloudflare:test";
import type { DomainEvent } from "@marquee/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { insertVideo } from "../../../test/fixtures";
import { apiJson, type SeededAccount, seedAccount, unique } from "../../../test/harness";
import { publishEvent } from "../../events/publish";
import { handled, inbox, turnOff, unreadOf } from "./test-utils";

describe("comment notifications", () => {
  let owner: SeededAccount;
  let commenter: SeededAccount;
  let mentioned: SeededAccount;
  let videoId: string;
  const handles: Record<string, string> = {};

  beforeAll(async () => {
    [owner, commenter, mentioned] = await Promise.all([
      seedAccount({ tag: "cmtowner", channel: true, profiles: [{ name: "Partner" }] }),
      seedAccount({ tag: "cmtauthor", channel: true }),
      seedAccount({ tag: "cmtmention", channel: true }),
    ]);
    for (const a of [owner, commenter, mentioned]) {
      handles[a.accountId] = (
        await apiJson<{ handle: string }>(`/api/v1/channels/${a.channelId}`, 200)
      ).handle;
    }
    videoId = await insertVideo(owner);
  });

  const publish = async <E extends DomainEvent>(type: E["type"], payload: E["payload"]) => {
    const event = await publishEvent<E>(env, type, payload);
    await handled(event.id);
    return event;
  };

  it("comment.created → the video owner's account holder profile, not its other profiles nor the author", async () => {
    await publish("comment.created", {
      commentId: unique("cmt"),
      videoId,
      videoOwnerAccountId: owner.accountId,
      authorProfileId: commenter.profileId,
      excerpt: "Nice video",
    });
    const page = await inbox(owner.profileId).list(null, 10, "adult");
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      type: "comment.created",
      data: {
        videoId,
        excerpt: "Nice video",
        authorProfileId: commenter.profileId,
        authorName: "Seeded Person",
      },
    });
    expect(await unreadOf(owner.profiles[1]?.id as string)).toBe(0);
    expect(await unreadOf(commenter.profileId)).toBe(0);
    // The owner commenting on their own video (from any of their profiles) notifies nobody.
    await publish("comment.created", {
      commentId: unique("cmt"),
      videoId,
      videoOwnerAccountId: owner.accountId,
      authorProfileId: owner.profiles[1]?.id as string,
      excerpt: "Thanks all",
    });
    expect(await unreadOf(owner.profileId)).toBe(1);
  });

  it("comment.replied → the parent comment's author, unless replying to themselves", async () => {
    const before = await unreadOf(commenter.profileId);
    await publish("comment.replied", {
      commentId: unique("cmt"),
      parentId: "cmt_parent",
      videoId,
      parentAuthorProfileId: commenter.profileId,
      authorProfileId: owner.profileId,
      excerpt: "Thank you!",
    });
    await publish("comment.replied", {
      commentId: unique("cmt"),
      parentId: "cmt_parent",
      videoId,
      parentAuthorProfileId: commenter.profileId,
      authorProfileId: commenter.profileId,
      excerpt: "Edit: typo",
    });
    const page = await inbox(commenter.profileId).list(null, 1, "adult");
    expect(await unreadOf(commenter.profileId)).toBe(before + 1);
    expect(page.items[0]).toMatchObject({ type: "comment.replied", data: { parentId: "cmt_parent" } });
  });

  it("mention → each mentioned channel's owner, not the author's own channel, unknown handles ignored; preference honoured", async () => {
    const before = [await unreadOf(owner.profileId), await unreadOf(mentioned.profileId)];
    const authorBefore = await unreadOf(commenter.profileId);
    await publish("mention", {
      commentId: unique("cmt"),
      videoId,
      authorProfileId: commenter.profileId,
      handles: [
        handles[owner.accountId] as string,
        `@${(handles[mentioned.accountId] as string).toUpperCase()}`,
        handles[commenter.accountId] as string,
        "nobody_by_this_name",
      ],
      excerpt: "cc @someone",
    });
    expect([await unreadOf(owner.profileId), await unreadOf(mentioned.profileId)]).toEqual([
      (before[0] as number) + 1,
      (before[1] as number) + 1,
    ]);
    expect(await unreadOf(commenter.profileId)).toBe(authorBefore);

    await turnOff(mentioned.accessToken, "mention");
    await publish("mention", {
      commentId: unique("cmt"),
      videoId,
      authorProfileId: commenter.profileId,
      handles: [handles[mentioned.accountId] as string],
      excerpt: "again",
    });
    expect(await unreadOf(mentioned.profileId)).toBe((before[1] as number) + 1);
  });
});
