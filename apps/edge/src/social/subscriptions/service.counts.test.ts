import { beforeAll, describe, expect, it } from "vitest";
import { type SeededAccount, seedAccount } from "../../../test/harness";
import { counts, del, put, seedProfiles } from "./test-utils";

let fan: SeededAccount;

beforeAll(async () => {
  fan = await seedAccount({ tag: "subfan" });
});

describe("subscriber counts under concurrency", () => {
  it("50 concurrent PUTs from one profile count once; 50 concurrent DELETEs uncount once", async () => {
    const owner = await seedAccount({ tag: "subrace1", channel: true });
    const target = owner.channelId as string;
    const token = fan.accessToken;
    const puts = await Promise.all(
      Array.from({ length: 50 }, (_, i) => put(token, target, i % 2 ? "all" : "none")),
    );
    expect(puts.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(await counts(target)).toEqual({ counted: 1, rows: 1 });
    const dels = await Promise.all(Array.from({ length: 50 }, () => del(token, target)));
    expect(dels.map((r) => r.status)).toEqual(Array(50).fill(204));
    expect(await counts(target)).toEqual({ counted: 0, rows: 0 });
  });

  it("40 profiles subscribing at once count 40; racing subscribe/unsubscribe storms leave count = rows", async () => {
    const owner = await seedAccount({ tag: "subrace2", channel: true });
    const target = owner.channelId as string;
    const tokens = await seedProfiles(8, "subrace2fan");
    expect(tokens).toHaveLength(40);

    await Promise.all(tokens.map((t) => put(t, target)));
    expect(await counts(target)).toEqual({ counted: 40, rows: 40 });
    await Promise.all(tokens.map((t) => put(t, target, "none")));
    expect(await counts(target)).toEqual({ counted: 40, rows: 40 });

    // Every profile fires PUT, DELETE, PUT, DELETE, ... at once; the last word differs per profile.
    const storm = tokens.flatMap((t, i) =>
      Array.from({ length: 6 + (i % 2) }, (_, k) => (k % 2 === 0 ? put(t, target) : del(t, target))),
    );
    const statuses = (await Promise.all(storm)).map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 204)).toBe(true);
    const after = await counts(target);
    expect(after?.counted).toBe(after?.rows);

    await Promise.all(tokens.map((t) => del(t, target)));
    expect(await counts(target)).toEqual({ counted: 0, rows: 0 });
  });
});
