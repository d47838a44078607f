import { describe, expect, it } from "vitest";
import { INBOX_CAPACITY } from "./inbox-storage";
import { notificationFor, scratchInbox } from "./test-utils";
import type { InboxPage, NotificationInput } from "./types";

let n = 0;
/** A notification that names no video: the inbox then reads nothing from D1 for it (a named video
 * must exist there, at a rating the reader may see: inbox.maturity.test.ts). */
const item = (source = `evt_test_${n++}`, recipient = "prf_x") => notificationFor(source, recipient);

describe("Inbox object", () => {
  it("stores a notification once, however often and however concurrently it is delivered", async () => {
    const box = scratchInbox();
    const one = await item();
    const results = await Promise.all(Array.from({ length: 20 }, () => box.deliver([one, one])));
    expect(results.reduce((sum, r) => sum + r.delivered, 0)).toBe(1);
    const page = await box.list(null, 10, "adult");
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ id: one.id, type: "video.published", read: false, data: one.data });
    expect(await box.unreadCount("adult")).toBe(1);
  });

  it("lists newest first with a cursor; marks one or all read; counts unread", async () => {
    const box = scratchInbox();
    const items = await Promise.all(Array.from({ length: 7 }, () => item()));
    for (const it of items) await box.deliver([it]);
    const seen: string[] = [];
    let before: number | null = null;
    do {
      const page: InboxPage = await box.list(before, 3, "adult");
      seen.push(...page.items.map((i) => i.id));
      before = page.nextSeq;
    } while (before);
    expect(seen).toEqual(items.map((i) => i.id).reverse());

    const [a, b] = items;
    expect(await box.markRead([a?.id as string, a?.id as string, "ntf_unknown"], "adult")).toEqual({
      updated: 1,
      unread: 6,
    });
    expect(await box.markRead([a?.id as string, b?.id as string], "adult")).toEqual({
      updated: 1,
      unread: 5,
    });
    expect(await box.markRead("all", "adult")).toEqual({ updated: 5, unread: 0 });
    expect((await box.list(null, 100, "adult")).items.every((i) => i.read)).toBe(true);
  });

  it(`keeps the newest ${INBOX_CAPACITY}; a pruned notification delivered again stays out`, async () => {
    const box = scratchInbox();
    const items = await Promise.all(Array.from({ length: INBOX_CAPACITY + 10 }, () => item()));
    for (let i = 0; i < items.length; i += 100) await box.deliver(items.slice(i, i + 100));
    expect(await box.unreadCount("adult")).toBe(INBOX_CAPACITY);
    const oldest = items[0] as NotificationInput;
    expect(await box.deliver([oldest])).toEqual({ delivered: 0 });
    const all = await box.list(null, 100, "adult");
    expect(all.items[0]?.id).toBe(items[items.length - 1]?.id);
  });

  it("deleteAll erases everything, and later deliveries are ignored", async () => {
    const box = scratchInbox();
    await box.deliver([await item()]);
    await box.deleteAll();
    await box.deleteAll();
    expect(await box.unreadCount("adult")).toBe(0);
    expect(await box.deliver([await item()])).toEqual({ delivered: 0 });
    expect((await box.list(null, 10, "adult")).items).toEqual([]);
  });
});
