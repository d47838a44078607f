/**
 * PayPal v1 sales (a subscription's completed payments) and their refunds:
 * `GET /v1/payments/sale/{id}`, `POST /v1/payments/sale/{id}/refund` (`{}` refunds what is left;
 * `{amount: {total, currency}}` part of it; optional `invoice_number`, `description`, `reason`) →
 * 201 the refund, `completed` at once, and `PAYMENT.SALE.REFUNDED` with the refund as its resource;
 * `GET /v1/payments/refund/{id}`.
 */
import { randomBytes } from "node:crypto";
import { isoTime } from "../clock";
import { centsToDecimal, json, type Reply } from "../http";
import type { SandboxState } from "../store";
import type { PaypalRefund, PaypalSale } from "./types";

type ErrorReply = (
  status: number,
  name: string,
  message: string,
  details?: { issue: string; description: string; field?: string }[],
) => Reply;

const paypalId = () => randomBytes(9).toString("hex").toUpperCase().slice(0, 17);

/** "17.99" → 1799 (digits only, at most two decimals); undefined for anything else. */
function cents(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^\d{1,9}(\.\d{1,2})?$/.test(value)) return undefined;
  const [whole = "0", frac = ""] = value.split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
}

/** Keeps a completed sale so it can be read and refunded later. */
export function storeSale(state: SandboxState, sale: PaypalSale): void {
  state.paypalSales.set(sale.id, sale);
}

export function saleRoutes(
  state: SandboxState,
  method: string,
  segs: string[],
  body: Record<string, unknown>,
  error: ErrorReply,
): Reply | undefined {
  const [, kind, id, action] = segs; // payments / sale|refund / id / action
  if (!id) return undefined;
  const notFound = (what: string) =>
    error(404, "INVALID_RESOURCE_ID", "The requested resource ID was not found", [
      { issue: "INVALID_RESOURCE_ID", description: `${what} ${id} does not exist.` },
    ]);
  if (kind === "refund" && method === "GET" && !action) {
    const refund = state.paypalRefunds.get(id);
    return refund ? json(200, refund) : notFound("Refund");
  }
  if (kind !== "sale") return undefined;
  const sale = state.paypalSales.get(id);
  if (method === "GET" && !action) return sale ? json(200, sale) : notFound("Sale");
  if (method !== "POST" || action !== "refund") return undefined;
  if (!sale) return notFound("Sale");
  return refundSale(state, sale, body, error);
}

function refundSale(
  state: SandboxState,
  sale: PaypalSale,
  body: Record<string, unknown>,
  error: ErrorReply,
): Reply {
  const total = cents(sale.amount.total) ?? 0;
  const already = [...state.paypalRefunds.values()]
    .filter((r) => r.sale_id === sale.id)
    .reduce((sum, r) => sum + (cents(r.amount.total) ?? 0), 0);
  const left = total - already;
  if (left <= 0) {
    return error(400, "TRANSACTION_REFUSED", "The request was refused.", [
      { issue: "TRANSACTION_REFUSED", description: `Sale ${sale.id} has already been refunded in full.` },
    ]);
  }
  let amount = left;
  const requested = body.amount as { total?: unknown; currency?: unknown } | undefined;
  if (requested !== undefined) {
    const asked = cents(requested?.total);
    if (asked === undefined || asked < 1) {
      return error(400, "VALIDATION_ERROR", "Invalid request - see details", [
        { field: "amount.total", issue: "INVALID_AMOUNT", description: "Amount must be a positive decimal." },
      ]);
    }
    if (requested?.currency !== sale.amount.currency) {
      return error(400, "VALIDATION_ERROR", "Invalid request - see details", [
        {
          field: "amount.currency",
          issue: "CURRENCY_MISMATCH",
          description: "Currency must match the sale.",
        },
      ]);
    }
    if (asked > left) {
      return error(
        400,
        "REFUND_EXCEEDED_TRANSACTION_AMOUNT",
        "Refund amount exceeds the transaction amount.",
        [
          {
            issue: "REFUND_EXCEEDED_TRANSACTION_AMOUNT",
            description: `At most ${centsToDecimal(left)} is left.`,
          },
        ],
      );
    }
    amount = asked;
  }
  const now = isoTime(state.clock.now());
  const id = paypalId();
  const currency = sale.amount.currency;
  const text = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : undefined);
  const refund: PaypalRefund = {
    id,
    state: "completed",
    amount: { total: centsToDecimal(amount), currency },
    refund_from_received_amount: { value: centsToDecimal(amount), currency },
    refund_from_transaction_fee: { value: "0.00", currency },
    total_refunded_amount: { value: centsToDecimal(already + amount), currency },
    sale_id: sale.id,
    billing_agreement_id: sale.billing_agreement_id,
    ...(sale.custom === undefined ? {} : { custom: sale.custom }),
    ...(text("invoice_number") === undefined ? {} : { invoice_number: text("invoice_number") }),
    ...(text("description") === undefined ? {} : { description: text("description") }),
    ...(text("reason") === undefined ? {} : { reason: text("reason") }),
    create_time: now,
    update_time: now,
    links: [
      { href: `${state.publicUrl}/v1/payments/refund/${id}`, rel: "self", method: "GET" },
      { href: `${state.publicUrl}/v1/payments/sale/${sale.id}`, rel: "sale", method: "GET" },
    ],
  };
  state.paypalRefunds.set(id, refund);
  sale.state = already + amount >= total ? "refunded" : "partially_refunded";
  sale.update_time = now;
  state.paypalEvent(
    "PAYMENT.SALE.REFUNDED",
    "refund",
    structuredClone(refund),
    `A $ ${refund.amount.total} ${currency} sale payment was refunded`,
    sale.billing_agreement_id,
  );
  return json(201, refund);
}
