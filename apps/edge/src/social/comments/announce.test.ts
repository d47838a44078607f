import { describe, expect, it } from "vitest";
import { apiJson, eventually, seedAccount } from "../../../test/harness";
import { handledEvent, post, readyVideo } from "./test-utils";

describe("events of a published comment", () => {
  it("publishing sends comment.created, comment.replied and mention (for existing channel handles)", async () => {
    const owner = await seedAccount({ tag: "cmevt", channel: true });
    const mentioned = await seedAccount({ tag: "cmevtm", channel: true });
    const viewer = await seedAccount({ tag: "cmevtv" });
    const video = await readyVideo(owner);
    const { handle } = await apiJson<{ handle: string }>(`/api/v1/channels/${mentioned.channelId}`, 200);

    const ownNote = await post(owner.accessToken, video, "Behind the scenes notes");
    const top = await post(
      viewer.accessToken,
      video,
      `Loved it @${handle.toUpperCase()} and @nosuchhandle_zz`,
    );
    const reply = await post(owner.accessToken, video, "Thanks for watching", top.id);

    const mention = await eventually(() => handledEvent("mention", top.id));
    expect(mention.id).toBe(`mention:${top.id}`);
    await eventually(() => handledEvent("comment.created", top.id));
    await eventually(() => handledEvent("comment.replied", reply.id));
    // Commenting on your own video is not news to you.
    expect(await handledEvent("comment.created", ownNote.id)).toBeNull();
  });
});
