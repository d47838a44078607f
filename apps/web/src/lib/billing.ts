/**
 * The signed-in account's billing state (`GET /me/billing`), read once per session and shared: the
 * header's plan badge, the billing page and the plans page read the same copy (the same pattern as
 * lib/profiles.ts). `refreshBilling()` after anything that changes it (cancel, a checkout landing).
 * Also the three things that leave for a provider's page: checkout, the portal, and cancel.
 */
import { useEffect, useSyncExternalStore } from "react";
import { api, must } from "../api/client";
import type { BillingInterval, BillingState, PaymentProvider } from "../api/types";
import type { BillingSync } from "./billingSync";
import { session, useSession } from "./session";

export const FREE_PLAN = "free";

interface State {
  accountId: string | null;
  data: BillingState | null;
  error: unknown;
}

let state: State = { accountId: null, data: null, error: null };
const listeners = new Set<() => void>();
let inflight: Promise<BillingState | null> | null = null;

function set(next: State) {
  state = next;
  for (const l of listeners) l();
  const { accountId, data } = next;
  // In order: every observe waits on the one load of the module.
  if (accountId && data) void sync()?.then((s) => s.observe(accountId, data.entitlements.plan));
}

let shared: Promise<BillingSync> | null = null;
/**
 * The other tabs of the site (lib/billingSync.ts): a plan seen changing here is announced there,
 * and their announcements make this copy read again. Started with the first reader, for good;
 * loaded on its own, after the shell (the home page's first paint needs none of it).
 */
function sync(): Promise<BillingSync> | null {
  if (shared || typeof window === "undefined") return shared;
  shared = import("./billingSync").then(({ createBillingSync }) => {
    const s = createBillingSync(
      {
        current: () => ({ accountId: state.accountId, plan: state.data?.entitlements.plan ?? null }),
        refresh: () => void refreshBilling(),
      },
      {
        BroadcastChannel: typeof BroadcastChannel === "function" ? BroadcastChannel : undefined,
        storage: (() => {
          try {
            return window.localStorage;
          } catch {
            return null;
          }
        })(),
        events: window,
      },
    );
    // A tab left in the background may have missed it all (no BroadcastChannel, a closed tab that
    // paid): coming back re-checks once.
    const regained = () => {
      if (document.visibilityState === "visible") s.regained();
    };
    document.addEventListener("visibilitychange", regained);
    window.addEventListener("focus", regained);
    return s;
  });
  return shared;
}

/** Loads the account's billing state again (concurrent callers share one request). */
export function refreshBilling(): Promise<BillingState | null> {
  const current = session.get();
  if (!current) {
    set({ accountId: null, data: null, error: null });
    return Promise.resolve(null);
  }
  inflight ??= must(api.GET("/api/v1/me/billing"))
    .then(
      (data) => {
        // Signed out or into another account meanwhile: this answer is not theirs.
        if (session.get()?.accountId === current.accountId)
          set({ accountId: current.accountId, data, error: null });
        return data;
      },
      (error: unknown) => {
        if (session.get()?.accountId === current.accountId)
          set({ ...state, accountId: current.accountId, error });
        return null;
      },
    )
    .finally(() => {
      inflight = null;
    });
  return inflight;
}

/** Replaces the shared copy with an answer the page already has (cancel returns the new state). */
export function setBilling(data: BillingState): void {
  const accountId = session.get()?.accountId ?? null;
  if (accountId) set({ accountId, data, error: null });
}

/** The account's billing state (null until loaded or signed out), loaded once per account. */
export function useBilling(): { billing: BillingState | null; error: unknown } {
  const s = useSession();
  const current = useSyncExternalStore(
    (l) => {
      // Signed in only: a signed-out page (the home's first visit) has no plan to keep in step.
      if (session.get()) void sync();
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
  const accountId = s?.accountId ?? null;
  useEffect(() => {
    if (accountId && state.accountId !== accountId) void refreshBilling();
    if (!accountId && state.accountId) set({ accountId: null, data: null, error: null });
  }, [accountId]);
  const mine = current.accountId === accountId;
  return { billing: mine ? current.data : null, error: mine ? current.error : null };
}

export const isPaidPlan = (plan: string | null | undefined): boolean => Boolean(plan) && plan !== FREE_PLAN;

const CHECKOUT_KEY = "marquee.checkout";

/** What was bought, remembered across the provider's page so the return can name it. */
export function pendingCheckout(): { planId: string; name: string } | null {
  try {
    const raw = sessionStorage.getItem(CHECKOUT_KEY);
    const parsed = raw ? (JSON.parse(raw) as { planId?: unknown; name?: unknown }) : null;
    return parsed && typeof parsed.planId === "string" && typeof parsed.name === "string"
      ? { planId: parsed.planId, name: parsed.name }
      : null;
  } catch {
    return null;
  }
}

/**
 * Starts a subscription: the edge makes a Checkout Session (Stripe) or a subscription awaiting
 * approval (PayPal) and answers the provider's page, where the person pays. The edge builds the
 * return URLs from its own PUBLIC_URL, never from this page.
 */
export async function startCheckout(
  plan: { id: string; name: string },
  interval: BillingInterval,
  provider: PaymentProvider,
): Promise<void> {
  const { url } = await must(
    api.POST("/api/v1/me/billing/checkout", { body: { planId: plan.id, interval, provider } }),
  );
  try {
    sessionStorage.setItem(CHECKOUT_KEY, JSON.stringify({ planId: plan.id, name: plan.name }));
  } catch {
    // private mode: the return page says "thank you" without the plan's name
  }
  window.location.assign(url);
}

/** Opens Stripe's billing portal (change plan, payment method, cancel). */
export async function openPortal(): Promise<void> {
  const { url } = await must(api.POST("/api/v1/me/billing/portal"));
  window.location.assign(url);
}

/** Cancels: Stripe at the period's end, PayPal now (paid through). Returns the new state. */
export async function cancelPlan(): Promise<BillingState> {
  const next = await must(api.POST("/api/v1/me/billing/cancel"));
  setBilling(next);
  return next;
}

/** The checkout landed (the plan shows): forget what was being bought. */
export function clearPendingCheckout(): void {
  try {
    sessionStorage.removeItem(CHECKOUT_KEY);
  } catch {
    // nothing to forget
  }
}
