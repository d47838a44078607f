/** PayPal's approval page: "Pay" activates the subscription, "Decline" goes back to cancel_url. */
import { priceByPaypalPlan } from "../catalogue";
import { escapeHtml as e, formatMoney, html, type Reply, type Req, redirect } from "../http";
import { layout } from "../pages";
import type { SandboxState } from "../store";
import { approve } from "./billing";

export function handlePaypalPage(state: SandboxState, req: Req): Reply | undefined {
  const [a, b, id, action] = req.path.split("/").filter(Boolean);
  if (a === "paypal" && b === "certs" && req.method === "GET") {
    // Real PayPal serves an X.509 certificate here; the sandbox signs with an HMAC only it can check.
    return {
      status: 200,
      headers: { "content-type": "text/plain" },
      body: "payments sandbox: no certificate\n",
    };
  }
  if (a !== "paypal" || b !== "approve" || !id) return undefined;
  const sub = state.paypalSubscriptions.get(id);
  const extras = state.paypalExtras.get(id);
  const price = sub && priceByPaypalPlan(sub.plan_id);
  if (!sub || !extras || !price) return html(404, layout("Not found", "<h1>Subscription not found</h1>"));
  if (sub.status !== "APPROVAL_PENDING") {
    return html(
      410,
      layout("Already approved", `<h1>This subscription is ${e(sub.status.toLowerCase())}</h1>`),
    );
  }
  if (req.method === "POST" && action === "pay") {
    approve(state, sub);
    const next = new URL(extras.returnUrl);
    next.searchParams.set("subscription_id", sub.id);
    next.searchParams.set("ba_token", `BA-${sub.id.slice(2)}`);
    next.searchParams.set("token", `EC-${sub.id.slice(2)}`);
    return redirect(next.toString());
  }
  if (req.method === "POST" && action === "decline") {
    const next = new URL(extras.cancelUrl);
    next.searchParams.set("subscription_id", sub.id);
    next.searchParams.set("token", `EC-${sub.id.slice(2)}`);
    return redirect(next.toString());
  }
  if (req.method !== "GET" || action) return html(404, layout("Not found", "<h1>Page not found</h1>"));
  const brand = extras.brandName ?? "Marquee";
  const amount = `${formatMoney(price.amountCents, price.currency)} per ${price.interval}`;
  const form = (act: string, label: string) =>
    `<form method="post" action="/paypal/approve/${e(id)}/${act}"><button type="submit">${e(label)}</button></form>`;
  return html(
    200,
    layout(
      `PayPal: ${price.product.name}`,
      `<h1>Subscribe to ${e(price.product.name)} with PayPal</h1>
<p>${e(brand)} · ${e(amount)}</p>
${form("pay", "Pay")}${form("decline", "Decline")}`,
    ),
  );
}
