import { afterEach, describe, expect, it } from "vitest";
import { type BillingSync, createBillingSync } from "./billingSync";
import { upgradeReaches } from "./player/limits";

/** One tab: its shared copy (account, plan) and how often it asked the edge again. */
function tab(env: Parameters<typeof createBillingSync>[1], accountId: string | null, plan: string | null) {
  const t = {
    accountId,
    plan,
    refreshes: 0,
    sync: null as unknown as BillingSync,
  };
  t.sync = createBillingSync(
    {
      current: () => ({ accountId: t.accountId, plan: t.plan }),
      refresh: () => {
        t.refreshes += 1;
      },
    },
    env,
  );
  return t;
}

/** BroadcastChannel delivers on a later task. */
const delivered = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The fallback: localStorage writes reach the *other* tabs as `storage` events, as in a browser. */
function storageOrigin() {
  const tabs: EventTarget[] = [];
  return {
    env(now = () => 0) {
      const events = new EventTarget();
      tabs.push(events);
      const storage = {
        setItem(key: string, value: string) {
          for (const other of tabs)
            if (other !== events)
              other.dispatchEvent(Object.assign(new Event("storage"), { key, newValue: value }));
        },
      };
      return { storage, events, now };
    },
  };
}

describe("billing state across tabs", () => {
  const open: BillingSync[] = [];
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });

  it("a paid plan seen in one tab makes every other tab of that account (and only those whose copy differs) read its billing again, once", async () => {
    const env = { BroadcastChannel };
    const paying = tab(env, "acc_1", null);
    const watching = tab(env, "acc_1", "free");
    const upToDate = tab(env, "acc_1", "premium");
    const stranger = tab(env, "acc_2", "free");
    open.push(paying.sync, watching.sync, upToDate.sync, stranger.sync);

    // The checkout's return: the first read shows free (webhook not there yet), then premium.
    paying.plan = "free";
    paying.sync.observe("acc_1", "free");
    await delivered();
    expect(watching.refreshes).toBe(0);
    expect(upToDate.refreshes).toBe(1); // its premium disagrees with "free": it checks
    paying.plan = "premium";
    paying.sync.observe("acc_1", "premium");
    await delivered();
    expect(watching.refreshes).toBe(1);
    expect(upToDate.refreshes).toBe(1);
    expect(stranger.refreshes).toBe(0);

    // The watching tab's re-read lands: the same plan is no news, nobody answers it.
    watching.plan = "premium";
    watching.sync.observe("acc_1", "premium");
    paying.sync.observe("acc_1", "premium");
    await delivered();
    expect([paying.refreshes, watching.refreshes, upToDate.refreshes]).toEqual([0, 1, 1]);
  });

  it("without BroadcastChannel the notice travels as a localStorage write (storage event) to the other tabs", () => {
    const origin = storageOrigin();
    const paying = tab(origin.env(), "acc_1", "free");
    const watching = tab(origin.env(), "acc_1", "free");
    open.push(paying.sync, watching.sync);
    paying.sync.observe("acc_1", "free");
    expect(watching.refreshes).toBe(0);
    paying.plan = "premium";
    paying.sync.observe("acc_1", "premium");
    expect(watching.refreshes).toBe(1);
    expect(paying.refreshes).toBe(0);
    // Another key's write is someone else's business.
    const env = origin.env();
    const third = tab(env, "acc_1", "free");
    open.push(third.sync);
    env.events.dispatchEvent(
      Object.assign(new Event("storage"), {
        key: "other",
        newValue: '{"accountId":"acc_1","plan":"premium"}',
      }),
    );
    expect(third.refreshes).toBe(0);
  });

  it("coming back to the tab (visible, then focus) re-checks once, and not when signed out", () => {
    let now = 10_000;
    const env = { now: () => now };
    const t = tab(env, "acc_1", "free");
    open.push(t.sync);
    t.sync.regained();
    t.sync.regained();
    expect(t.refreshes).toBe(1);
    now += 5_000;
    t.sync.regained();
    expect(t.refreshes).toBe(2);
    t.accountId = null;
    now += 5_000;
    t.sync.regained();
    expect(t.refreshes).toBe(2);
  });
});

describe("which open watch pages an upgrade reaches", () => {
  const free = { plan: "free", maxHeight: 720, adFree: false, streams: 1, premiumContent: false };
  const premium = { plan: "premium", maxHeight: 2160, adFree: true, streams: 4, premiumContent: true };
  const standard = { ...premium, plan: "standard", maxHeight: 1080, streams: 2, premiumContent: false };
  const capped = { maxHeight: 720, sourceHeight: 1080 };

  it("the premium video's upgrade panel, a capped ladder and a full set of streams ask again when the new plan lifts that limit", () => {
    expect(upgradeReaches(premium, null, { kind: "plan", requiredPlan: "premium" })).toBe(true);
    expect(upgradeReaches(standard, null, { kind: "plan", requiredPlan: "premium" })).toBe(false);
    expect(upgradeReaches(standard, capped, null)).toBe(true);
    expect(upgradeReaches(premium, { maxHeight: 1080, sourceHeight: 1080 }, null)).toBe(false);
    expect(upgradeReaches(free, capped, null)).toBe(false);
    expect(upgradeReaches(standard, { maxHeight: 720, sourceHeight: null }, null)).toBe(false);
    expect(upgradeReaches(standard, null, { kind: "streams", allowed: 1, active: [] })).toBe(true);
    expect(upgradeReaches(free, null, { kind: "streams", allowed: 1, active: [] })).toBe(false);
  });
});
