/**
 * The hosted pages a person clicks through: Stripe Checkout, the billing portal, Connect onboarding,
 * hosted invoices. Plain, accessible HTML (one heading, real buttons in forms that POST back, a
 * status region for outcomes); no scripts, so they work in any test browser.
 */
import { PRICES, priceByStripeId } from "./catalogue";
import { isoTime } from "./clock";
import { escapeHtml as e, formatMoney, html, type Reply, type Req, redirect } from "./http";
import type { SandboxState } from "./store";
import { completeCheckout, updateSubscription } from "./stripe/billing";
import { completeOnboarding } from "./stripe/connect";
import { findPrice } from "./stripe/objects";
import type { StripePrice } from "./stripe/types";

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} · Payments sandbox</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
button{font:inherit;padding:.5rem 1.25rem;margin:.25rem .5rem .25rem 0;cursor:pointer}
form{display:inline}.note{color:#555;font-size:.875rem}[role=alert]{color:#a00000;font-weight:600}</style>
</head>
<body>
<main>
${body}
<p class="note">Payments sandbox: test mode, no real money moves.</p>
</main>
</body>
</html>`;
}

const button = (action: string, label: string, fields: Record<string, string> = {}) =>
  `<form method="post" action="${e(action)}">${Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${e(k)}" value="${e(v)}">`)
    .join("")}<button type="submit">${e(label)}</button></form>`;

const perInterval = (p: StripePrice) =>
  `${formatMoney(p.unit_amount, p.currency)} per ${p.recurring.interval}`;

const productName = (p: StripePrice) => priceByStripeId(p.id)?.product.name ?? p.product;

const dateOf = (unix: number) => isoTime(unix).slice(0, 10);

const notFound = (what: string) => html(404, layout("Not found", `<h1>${e(what)} not found</h1>`));

export function handlePage(state: SandboxState, req: Req): Reply | undefined {
  const [kind, id, action] = req.path.split("/").filter(Boolean);
  if (!id) return undefined;
  const form = new URLSearchParams(req.rawBody);
  if (kind === "checkout") return checkout(state, req.method, id, action);
  if (kind === "portal") return portal(state, req.method, id, action, form);
  if (kind === "connect" && id === "onboard" && action) return onboarding(state, req.method, action);
  if (kind === "invoice" && req.method === "GET") return invoice(state, id);
  return undefined;
}

function checkout(state: SandboxState, method: string, id: string, action?: string): Reply {
  const session = state.sessions.get(id);
  const extras = state.checkoutExtras.get(id);
  const price = extras && findPrice(extras.price);
  if (!session || !price) return notFound("Checkout session");
  const base = `/checkout/${id}`;
  if (session.status !== "open") {
    return html(
      410,
      layout(
        "Checkout complete",
        `<h1>This checkout is already complete</h1><p role="status">Nothing more to pay.</p>`,
      ),
    );
  }
  if (method === "POST" && action === "pay") {
    const next = completeCheckout(state, id);
    return next ? redirect(next) : notFound("Checkout session");
  }
  const declined = method === "POST" && action === "decline";
  if (method !== "GET" && !declined) return notFound("Page");
  const body = `<h1>Subscribe to ${e(productName(price))}</h1>
<p>${e(perInterval(price))}${session.customer_email ? ` · ${e(session.customer_email)}` : ""}</p>
${declined ? `<p role="alert">Your card was declined. Nothing was charged.</p>` : `<p role="status"></p>`}
${button(`${base}/pay`, "Pay")}${button(`${base}/decline`, "Decline")}
${session.cancel_url ? `<p><a href="${e(session.cancel_url)}">Back to Marquee</a></p>` : ""}`;
  return html(declined ? 402 : 200, layout(`Subscribe to ${productName(price)}`, body));
}

function portal(
  state: SandboxState,
  method: string,
  id: string,
  action: string | undefined,
  form: URLSearchParams,
) {
  const session = state.portalSessions.get(id);
  if (!session) return notFound("Portal session");
  const base = `/portal/${id}`;
  const sub = [...state.subscriptions.values()]
    .reverse()
    .find((s) => s.customer === session.customer && s.status !== "canceled");
  if (method === "POST") {
    if (!sub) return redirect(base);
    if (action === "cancel") updateSubscription(state, sub, { cancelAtPeriodEnd: true });
    else if (action === "renew") updateSubscription(state, sub, { cancelAtPeriodEnd: false });
    else if (action === "switch") {
      const price = findPrice(form.get("price") ?? "");
      if (!price) return html(400, layout("Unknown plan", `<h1>Unknown plan</h1>`));
      updateSubscription(state, sub, { price });
    } else return notFound("Page");
    return redirect(base);
  }
  if (action) return notFound("Page");
  const back = session.return_url ? `<p><a href="${e(session.return_url)}">Return to Marquee</a></p>` : "";
  const current = sub?.items.data[0]?.price;
  if (!sub || !current) {
    return html(200, layout("Your plan", `<h1>Your plan</h1><p>You have no active plan.</p>${back}`));
  }
  const status = sub.cancel_at_period_end
    ? `Your plan ends on ${dateOf(sub.current_period_end)}.`
    : sub.status === "past_due"
      ? `Your last payment failed. We will try again.`
      : `Renews on ${dateOf(sub.current_period_end)}.`;
  const switches = PRICES.filter((p) => p.stripeId !== current.id)
    .map((p) => {
      const label = `Switch to ${p.product.name} (${p.interval === "year" ? "yearly" : "monthly"}) · ${formatMoney(p.amountCents, p.currency)} per ${p.interval}`;
      return `<li>${button(`${base}/switch`, label, { price: p.stripeId })}</li>`;
    })
    .join("");
  const body = `<h1>Your plan: ${e(productName(current))}</h1>
<p>${e(perInterval(current))}</p>
<p role="status">${e(status)}</p>
${sub.cancel_at_period_end ? button(`${base}/renew`, "Don't cancel") : button(`${base}/cancel`, "Cancel plan")}
<h2>Change plan</h2>
<ul>${switches}</ul>
${back}`;
  return html(200, layout(`Your plan: ${productName(current)}`, body));
}

function onboarding(state: SandboxState, method: string, linkId: string): Reply {
  const link = state.accountLinks.get(linkId);
  if (!link) return notFound("Onboarding link");
  if (method === "POST") {
    const next = completeOnboarding(state, linkId);
    return next ? redirect(next) : notFound("Onboarding link");
  }
  return html(
    200,
    layout(
      "Set up payouts",
      `<h1>Set up payouts</h1><p>Account ${e(link.account)}: the sandbox asks for no details.</p>${button(`/connect/onboard/${linkId}`, "Complete onboarding")}`,
    ),
  );
}

function invoice(state: SandboxState, id: string): Reply {
  const inv = state.invoices.get(id);
  if (!inv) return notFound("Invoice");
  const body = `<h1>Invoice ${e(inv.number)}</h1>
<p>${e(formatMoney(inv.amount_due, inv.currency))} · ${e(inv.status)}</p>
<p>Period ${e(dateOf(inv.period_start))} to ${e(dateOf(inv.period_end))}</p>`;
  return html(200, layout(`Invoice ${inv.number}`, body));
}
