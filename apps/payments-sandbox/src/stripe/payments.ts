/**
 * What a paid invoice charged (its InvoicePayment, PaymentIntent and Charge) and refunds of it.
 *
 * API 2025-03-31.basil took `charge` and `payment_intent` off the invoice: a paid invoice names its
 * payment through `payments` (InvoicePayment objects, included with `expand[]=payments`, or listed
 * with `GET /v1/invoice_payments?invoice=`). The sandbox does the same.
 *
 * `POST /v1/refunds` (`charge` or `payment_intent`, optional `amount` up to what is left, `reason`,
 * `metadata`) refunds a card charge at once, as Stripe does for cards: status `succeeded`, then the
 * events Stripe sends since API 2024-10-28: `refund.created` (the refund) and `charge.refunded` (the
 * charge). `/__control/refunds/update` moves a refund to another status (a bank that rejects it
 * later: `failed`; `canceled`) → `refund.updated` (and `refund.failed` when failed); a refund that
 * stops being pending/succeeded gives its amount back to the charge.
 */
import { metadataOf, str } from "../form";
import { newId, type Reply } from "../http";
import type { SandboxState } from "../store";
import type { StripeCall, StripeRoutes } from "./api";
import { listOf, missing, paramInvalid, paramMissing, stripeError } from "./objects";
import type { RefundStatus, StripeCharge, StripeInvoice, StripeRefund } from "./types";

const REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const;
/** Statuses in which a refund holds (or will take) money back from its charge. */
const HOLDING: readonly RefundStatus[] = ["pending", "requires_action", "succeeded"];

/** Gives a paid invoice its payment (intent + charge + InvoicePayment), once. */
export function recordPayment(state: SandboxState, invoice: StripeInvoice): void {
  if (!invoice.paid || state.invoicePayments.has(invoice.id)) return;
  const at = invoice.status_transitions.paid_at ?? invoice.created;
  const intentId = newId("pi", 24);
  const chargeId = newId("ch", 24);
  state.paymentIntents.set(intentId, {
    id: intentId,
    object: "payment_intent",
    amount: invoice.amount_paid,
    amount_received: invoice.amount_paid,
    created: at,
    currency: invoice.currency,
    customer: invoice.customer,
    latest_charge: chargeId,
    livemode: false,
    metadata: {},
    status: "succeeded",
  });
  state.charges.set(chargeId, {
    id: chargeId,
    object: "charge",
    amount: invoice.amount_paid,
    amount_captured: invoice.amount_paid,
    amount_refunded: 0,
    captured: true,
    created: at,
    currency: invoice.currency,
    customer: invoice.customer,
    description: "Subscription update",
    livemode: false,
    metadata: {},
    paid: true,
    payment_intent: intentId,
    refunded: false,
    status: "succeeded",
  });
  state.invoicePayments.set(invoice.id, {
    id: newId("inpay", 24),
    object: "invoice_payment",
    amount_paid: invoice.amount_paid,
    amount_requested: invoice.amount_paid,
    created: at,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: "payment_intent", payment_intent: intentId },
    status: "paid",
    status_transitions: { canceled_at: null, paid_at: at },
  });
}

/** `expand[]=payments` (or `data.payments` on a list): the invoice's payments as a list. */
export function withPayments(state: SandboxState, invoice: StripeInvoice, paths: string[]): unknown {
  if (!paths.some((p) => /^(data\.)?payments(\.|$)/.test(p))) return invoice;
  const payment = state.invoicePayments.get(invoice.id);
  return {
    ...invoice,
    payments: {
      object: "list",
      data: payment ? [payment] : [],
      has_more: false,
      url: `/v1/invoices/${invoice.id}/payments`,
    },
  };
}

export const paymentRoutes: StripeRoutes = (call) => {
  const [kind, id] = call.segs;
  const { state, req, ok } = call;
  if (kind === "refunds") return refunds(call);
  if (req.method !== "GET") return undefined;
  if (kind === "charges" && id) {
    const charge = state.charges.get(id);
    return charge && call.segs.length === 2 ? ok(charge) : missing("charge", id);
  }
  if (kind === "payment_intents" && id) {
    const intent = state.paymentIntents.get(id);
    return intent && call.segs.length === 2 ? ok(intent) : missing("payment_intent", id);
  }
  if (kind === "invoice_payments" && !id) {
    const invoice = str(call.form.invoice);
    const all = [...state.invoicePayments.values()]
      .reverse()
      .filter((p) => !invoice || p.invoice === invoice);
    return ok(listOf("/v1/invoice_payments", all, req.query));
  }
  return undefined;
};

function refunds(call: StripeCall): Reply | undefined {
  const { state, req, form, segs, ok } = call;
  const id = segs[1];
  if (id) {
    const refund = state.refunds.get(id);
    if (req.method !== "GET") return undefined;
    return refund && segs.length === 2 ? ok(refund) : missing("refund", id);
  }
  if (req.method === "GET") {
    const charge = str(form.charge);
    const intent = str(form.payment_intent);
    const all = [...state.refunds.values()]
      .reverse()
      .filter((r) => (!charge || r.charge === charge) && (!intent || r.payment_intent === intent));
    return ok(listOf("/v1/refunds", all, req.query));
  }
  if (req.method !== "POST") return undefined;
  const found = chargeOf(state, str(form.charge), str(form.payment_intent));
  if ("status" in found) return found;
  const { charge } = found;
  const left = charge.amount - charge.amount_refunded;
  if (left <= 0) {
    return stripeError(400, `Charge ${charge.id} has already been refunded.`, {
      code: "charge_already_refunded",
    });
  }
  const rawAmount = str(form.amount);
  const amount = rawAmount === undefined ? left : Number(rawAmount);
  if (!Number.isInteger(amount) || amount < 1) return paramInvalid("amount", "Invalid positive integer");
  if (amount > left) {
    return stripeError(
      400,
      `Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge ($${(left / 100).toFixed(2)})`,
      { code: "amount_too_large", param: "amount" },
    );
  }
  const reason = str(form.reason);
  if (reason !== undefined && !REASONS.includes(reason as (typeof REASONS)[number])) {
    return paramInvalid("reason", `Invalid reason: must be one of ${REASONS.join(", ")}`);
  }
  const refund: StripeRefund = {
    id: newId("re", 24),
    object: "refund",
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: state.clock.now(),
    currency: charge.currency,
    failure_reason: null,
    metadata: metadataOf(form.metadata),
    payment_intent: charge.payment_intent,
    reason: (reason as StripeRefund["reason"]) ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
  state.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount;
  const key = orderKeyOf(state, charge);
  state.stripeEvent("refund.created", structuredClone(refund), key);
  state.stripeEvent("charge.refunded", structuredClone(charge), key, {
    amount_refunded: charge.amount_refunded - amount,
    ...(charge.refunded ? { refunded: false } : {}),
  });
  return ok(refund);
}

function chargeOf(
  state: SandboxState,
  chargeId: string | undefined,
  intentId: string | undefined,
): { charge: StripeCharge } | Reply {
  if (!chargeId && !intentId) return paramMissing("charge");
  const intent = intentId ? state.paymentIntents.get(intentId) : undefined;
  if (intentId && !intent) return missing("payment_intent", intentId, "payment_intent");
  const id = chargeId ?? intent?.latest_charge ?? "";
  const charge = state.charges.get(id);
  if (!charge) return missing("charge", id, "charge");
  if (intent && intent.latest_charge !== charge.id) {
    return paramInvalid("charge", `Charge ${charge.id} does not belong to PaymentIntent ${intent.id}`);
  }
  return { charge };
}

/** Refund events queue behind the subscription's own (a refund never overtakes its invoice.paid). */
function orderKeyOf(state: SandboxState, charge: StripeCharge): string {
  for (const p of state.invoicePayments.values()) {
    if (p.payment.payment_intent === charge.payment_intent) {
      return state.invoices.get(p.invoice)?.subscription ?? charge.id;
    }
  }
  return charge.id;
}

/** The control: a refund moves to `status` → `refund.updated` (+ `refund.failed`). */
export function updateRefund(
  state: SandboxState,
  id: string,
  status: string,
  failureReason?: string,
): StripeRefund | string {
  const refund = state.refunds.get(id);
  if (!refund) return `no refund ${id}`;
  const statuses: RefundStatus[] = ["pending", "requires_action", "succeeded", "failed", "canceled"];
  if (!statuses.includes(status as RefundStatus)) return `status must be one of ${statuses.join(", ")}`;
  const next = status as RefundStatus;
  if (next === refund.status) return `refund ${id} is already ${next}`;
  const charge = state.charges.get(refund.charge);
  if (charge) {
    const held = HOLDING.includes(refund.status);
    const holds = HOLDING.includes(next);
    if (held && !holds) charge.amount_refunded -= refund.amount;
    if (!held && holds) charge.amount_refunded += refund.amount;
    charge.refunded = charge.amount_refunded >= charge.amount;
  }
  const previous = { status: refund.status, failure_reason: refund.failure_reason };
  refund.status = next;
  refund.failure_reason = next === "failed" ? (failureReason ?? "lost_or_stolen_card") : null;
  const key = charge ? orderKeyOf(state, charge) : refund.charge;
  state.stripeEvent("refund.updated", structuredClone(refund), key, previous);
  if (next === "failed") state.stripeEvent("refund.failed", structuredClone(refund), key, previous);
  return refund;
}
