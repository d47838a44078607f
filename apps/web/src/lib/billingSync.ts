/**
 * Keeps every open tab's billing state in step: when one tab sees the account's plan change (the
 * billing page's post-checkout poll sees the paid plan, a cancel, a plan ending), it tells the
 * others, and each of them whose copy differs asks the edge again (one GET /me/billing). The
 * notice only says "the plan is now X": a tab never takes another tab's word for its entitlements,
 * it re-reads them. BroadcastChannel where there is one, else the `storage` event (a write to
 * localStorage reaches every other tab of the origin).
 */

export const BILLING_CHANNEL = "marquee-billing";
export const BILLING_STORAGE_KEY = "marquee.billing.plan";
/** Regaining visibility and focus both fire on one tab switch: one GET for the pair. */
const REGAIN_GAP_MS = 2_000;

export interface PlanNotice {
  accountId: string;
  plan: string;
}

export interface BillingSyncEnv {
  BroadcastChannel?: typeof BroadcastChannel;
  /** The fallback's store and where its `storage` events arrive (the window). */
  storage?: Pick<Storage, "setItem"> | null;
  events?: Pick<EventTarget, "addEventListener" | "removeEventListener"> | null;
  now?: () => number;
}

export interface BillingSyncDeps {
  /** This tab's account and the plan its shared copy shows (null: signed out or not loaded). */
  current: () => { accountId: string | null; plan: string | null };
  /** Reads the billing state again (the shared copy then calls `observe`). */
  refresh: () => void;
}

export interface BillingSync {
  /** The shared copy now shows `plan` for `accountId`: tells the other tabs when that is news. */
  observe: (accountId: string, plan: string) => void;
  /** The tab came back (visible, focused): re-check once. */
  regained: () => void;
  close: () => void;
}

function parse(value: unknown): PlanNotice | null {
  const raw = typeof value === "string" ? safeJson(value) : value;
  if (!raw || typeof raw !== "object") return null;
  const { accountId, plan } = raw as { accountId?: unknown; plan?: unknown };
  return typeof accountId === "string" && typeof plan === "string" ? { accountId, plan } : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function createBillingSync(deps: BillingSyncDeps, env: BillingSyncEnv): BillingSync {
  const now = env.now ?? Date.now;
  // The plan this tab last saw per account: a notice goes out only when it changes, so two tabs
  // agreeing never answer each other.
  const seen = new Map<string, string>();
  let lastRegain = Number.NEGATIVE_INFINITY;

  const heard = (value: unknown) => {
    const notice = parse(value);
    if (!notice) return;
    const mine = deps.current();
    // Another account's tab (signed in elsewhere meanwhile), or this copy already agrees.
    if (mine.accountId !== notice.accountId || mine.plan === notice.plan) return;
    deps.refresh();
  };

  const channel = env.BroadcastChannel ? new env.BroadcastChannel(BILLING_CHANNEL) : null;
  const onStorage = (e: Event) => {
    const { key, newValue } = e as StorageEvent;
    if (key === BILLING_STORAGE_KEY && newValue) heard(newValue);
  };
  if (channel) channel.onmessage = (e: MessageEvent) => heard(e.data);
  else env.events?.addEventListener("storage", onStorage);

  const announce = (notice: PlanNotice) => {
    if (channel) return channel.postMessage(notice);
    try {
      // `at`: the same plan announced twice is still a change, so the event fires again.
      env.storage?.setItem(BILLING_STORAGE_KEY, JSON.stringify({ ...notice, at: now() }));
    } catch {
      // storage refused (private mode, full): the other tabs catch up when they regain focus
    }
  };

  return {
    observe(accountId, plan) {
      const before = seen.get(accountId);
      seen.set(accountId, plan);
      // The first read in this tab is news too: it may be the tab that came back from checkout.
      if (before !== plan) announce({ accountId, plan });
    },
    regained() {
      if (!deps.current().accountId || now() - lastRegain < REGAIN_GAP_MS) return;
      lastRegain = now();
      deps.refresh();
    },
    close() {
      channel?.close();
      if (!channel) env.events?.removeEventListener("storage", onStorage);
    },
  };
}
