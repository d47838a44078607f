/**
 * Authorisation-matrix entries of the billing routes (issue 12; see matrix.ts). Everything under
 * /me/billing acts on the token's own account (there is no account id to name, so no other owner to
 * protect); kids profiles manage nothing (checkout, portal, cancel). Plan edits are admins' only.
 * The provider webhooks take no token: they are authenticated by the provider's signature, and
 * billing/webhooks.test.ts shows forged, tampered, stale and unsigned deliveries refused (400).
 */
import { inArray } from "drizzle-orm";
import { expect } from "vitest";
import { billingCustomers, plans } from "../../src/db/schema";
import { testDb } from "../fixtures";
import { notKids, signedIn } from "./intruders";
import type { MatrixEntry, OwnerCheck, World } from "./matrix";
import { afterRefusals } from "./phases";

const OWN_BILLING =
  "reads the caller's own account's billing (the account is the token's; none can be named)";

let world: World | null = null;
const remember = (w: World) => {
  world = w;
};

afterRefusals("no refused attempt made a customer, a checkout or a plan change", async () => {
  if (!world) return;
  const ids = [world.owner, world.kids, world.other, world.viewer].map((a) => a.accountId);
  expect(
    await testDb().select().from(billingCustomers).where(inArray(billingCustomers.accountId, ids)),
  ).toEqual([]);
  const standard = (await testDb().select().from(plans)).find((p) => p.id === "standard");
  expect(standard).toMatchObject({ name: "Standard", streams: 2, maxHeight: 1080, monthlyCents: 999 });
});

const adminOnly = { ...signedIn, viewer: 403, otherAccount: 403, kids: 403 } as const;
const asAdmin = (check: Omit<OwnerCheck, "as">): OwnerCheck => ({
  as: (w) => ({ token: w.admin.accessToken }),
  ...check,
});

export const BILLING_ENTRIES: MatrixEntry[] = [
  {
    operation: "GET /api/v1/me/billing",
    request: (w) => {
      remember(w);
      return { path: "/api/v1/me/billing" };
    },
    refuse: signedIn,
    signedInOnly: OWN_BILLING,
    owner: { status: 200 },
  },
  {
    operation: "GET /api/v1/me/billing/invoices",
    request: () => ({ path: "/api/v1/me/billing/invoices" }),
    refuse: signedIn,
    signedInOnly: OWN_BILLING,
    owner: { status: 200 },
  },
  {
    operation: "POST /api/v1/me/billing/checkout",
    request: (w) => {
      remember(w);
      return {
        path: "/api/v1/me/billing/checkout",
        json: { planId: "premium", interval: "month", provider: "stripe" },
      };
    },
    refuse: notKids,
    owner: { status: 200 },
  },
  {
    // After the owner's checkout (above) made its Stripe customer, the portal opens.
    operation: "POST /api/v1/me/billing/portal",
    request: () => ({ path: "/api/v1/me/billing/portal" }),
    refuse: notKids,
    owner: { status: 200 },
  },
  {
    operation: "POST /api/v1/me/billing/cancel",
    request: () => ({ path: "/api/v1/me/billing/cancel" }),
    refuse: notKids,
    owner: { status: 409, because: "the matrix's owner never paid, so there is no subscription to cancel" },
  },
  {
    operation: "PATCH /api/v1/admin/plans/{planId}",
    request: () => ({ path: "/api/v1/admin/plans/standard", json: { name: "Standard" } }),
    refuse: adminOnly,
    owner: asAdmin({ status: 200 }),
  },
];

/** Billing operations anyone may call, and why. */
export const BILLING_PUBLIC_OPERATIONS: Record<string, string> = {
  "POST /api/v1/webhooks/stripe":
    "called by Stripe without a token; authenticated by the Stripe-Signature over the raw body (forgeries: 400, billing/webhooks.test.ts)",
  "POST /api/v1/webhooks/paypal":
    "called by PayPal without a token; authenticated by PayPal's verify-webhook-signature (forgeries: 400, billing/paypal tests)",
};
