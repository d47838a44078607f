import { describe, expect, it } from "vitest";
import { chunksOf, deleteInBatches, onErasure } from "./erasure";

describe("deleteInBatches", () => {
  it("stops at the first short batch", async () => {
    const left = [3, 3, 1];
    const sizes: number[] = [];
    await deleteInBatches(
      "rows",
      async (n) => {
        sizes.push(n);
        return left.shift() ?? 0;
      },
      { batchRows: 3, maxBatches: 10 },
    );
    expect(sizes).toEqual([3, 3, 3]);
    expect(left).toEqual([]);
  });

  it("hands over to a redelivery after maxBatches full batches, deleting no more in this run", async () => {
    let calls = 0;
    const run = deleteInBatches(
      "profile p's beacons",
      async (n) => {
        calls++;
        return n;
      },
      { batchRows: 2, maxBatches: 4 },
    );
    await expect(run).rejects.toThrow(/profile p's beacons: more rows than one run erases/);
    expect(calls).toBe(4);
  });
});

describe("onErasure", () => {
  it("answers account.deleted with all the account's profiles and profile.deleted with the one", async () => {
    const seen: unknown[] = [];
    const handlers = onErasure(async (_env, subject) => void seen.push(subject));
    const env = {} as Env;
    await handlers["account.deleted"]?.[0]?.(
      {
        id: "e1",
        type: "account.deleted",
        at: 0,
        payload: { accountId: "acc_a", profileIds: ["prf_1", "prf_2"] },
      } as never,
      env,
    );
    await handlers["profile.deleted"]?.[0]?.(
      {
        id: "e2",
        type: "profile.deleted",
        at: 0,
        payload: { accountId: "acc_a", profileId: "prf_3" },
      } as never,
      env,
    );
    expect(seen).toEqual([
      { accountId: "acc_a", profileIds: ["prf_1", "prf_2"], wholeAccount: true },
      { accountId: "acc_a", profileIds: ["prf_3"], wholeAccount: false },
    ]);
  });
});

describe("chunksOf", () => {
  it("splits ids into statements of at most 90 bound parameters", () => {
    const ids = Array.from({ length: 181 }, (_, n) => `id${n}`);
    expect(chunksOf(ids).map((c) => c.length)).toEqual([90, 90, 1]);
    expect(chunksOf(ids).flat()).toEqual(ids);
  });
});
