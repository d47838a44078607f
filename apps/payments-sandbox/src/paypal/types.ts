/** The PayPal subscription the sandbox keeps (a subset of v1/billing/subscriptions' shape). */
export interface Money {
  currency_code: string;
  value: string;
}

export type PaypalStatus = "APPROVAL_PENDING" | "APPROVED" | "ACTIVE" | "SUSPENDED" | "CANCELLED" | "EXPIRED";

export interface PaypalSubscription {
  id: string;
  plan_id: string;
  status: PaypalStatus;
  status_update_time: string;
  status_change_note?: string;
  custom_id?: string;
  start_time: string;
  quantity: "1";
  shipping_amount?: Money;
  subscriber: {
    email_address?: string;
    payer_id?: string;
    name?: { given_name?: string; surname?: string };
  };
  billing_info: {
    outstanding_balance: Money;
    cycle_executions: {
      tenure_type: "REGULAR";
      sequence: 1;
      cycles_completed: number;
      cycles_remaining: 0;
      total_cycles: 0;
    }[];
    last_payment?: { amount: Money; time: string };
    /** Set while active; kept on a cancelled subscription as its paid-through time (sandbox choice). */
    next_billing_time?: string;
    failed_payments_count: number;
    last_failed_payment?: { amount: Money; time: string; reason_code: string };
  };
  create_time: string;
  update_time: string;
  plan_overridden: false;
  links: { href: string; rel: string; method: string }[];
}

/** Sandbox-only facts kept beside a subscription. */
export interface PaypalExtras {
  returnUrl: string;
  cancelUrl: string;
  brandName?: string;
  /** Unix seconds the subscription is paid through (the next charge is due then). */
  paidThrough: number;
  /** Unix seconds of the next (re)try of a charge. */
  nextAttempt: number;
}

/** A completed payment of a subscription (v1 `sale`), as PAYMENT.SALE.COMPLETED carries it. */
export interface PaypalSale {
  id: string;
  state: "completed" | "partially_refunded" | "refunded";
  amount: { total: string; currency: string; details: { subtotal: string } };
  payment_mode: "INSTANT_TRANSFER";
  protection_eligibility: "ELIGIBLE";
  transaction_fee: { value: string; currency: string };
  billing_agreement_id: string;
  custom?: string;
  create_time: string;
  update_time: string;
  links: { href: string; rel: string; method: string }[];
}

/** A v1 refund of a sale (`POST /v1/payments/sale/{id}/refund`), the resource of PAYMENT.SALE.REFUNDED. */
export interface PaypalRefund {
  id: string;
  state: "completed";
  amount: { total: string; currency: string };
  refund_from_received_amount: { value: string; currency: string };
  refund_from_transaction_fee: { value: string; currency: string };
  total_refunded_amount: { value: string; currency: string };
  sale_id: string;
  billing_agreement_id: string;
  custom?: string;
  invoice_number?: string;
  description?: string;
  reason?: string;
  create_time: string;
  update_time: string;
  links: { href: string; rel: string; method: string }[];
}
