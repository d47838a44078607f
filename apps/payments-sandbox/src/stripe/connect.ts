/** Connected accounts (Express), onboarding links and transfers, for the payouts issue. */
import { metadataOf, str } from "../form";
import { newId } from "../http";
import type { SandboxState } from "../store";
import type { StripeCall, StripeRoutes } from "./api";
import { listOf, missing, paramInvalid, paramMissing, stripeError } from "./objects";
import type { StripeAccount, StripeTransfer } from "./types";

export const connectRoutes: StripeRoutes = (call) => {
  const [kind] = call.segs;
  if (kind === "accounts") return accounts(call);
  if (kind === "account_links") return accountLinks(call);
  if (kind === "transfers") return transfers(call);
  return undefined;
};

function accounts({ state, req, form, segs, ok }: StripeCall) {
  const id = segs[1];
  if (id) {
    const account = state.accounts.get(id);
    if (!account || segs.length > 2) return missing("account", id, "account");
    if (req.method === "GET") return ok(account);
    if (req.method === "POST") {
      if (form.metadata !== undefined) account.metadata = metadataOf(form.metadata, account.metadata);
      if (form.email !== undefined) account.email = str(form.email) || null;
      return ok(account);
    }
    return undefined;
  }
  if (req.method !== "POST") return undefined;
  const type = str(form.type) ?? "express";
  if (type !== "express") return paramInvalid("type", "The sandbox creates express accounts only.");
  const account: StripeAccount = {
    id: newId("acct", 16),
    object: "account",
    business_type: str(form.business_type) ?? null,
    capabilities: { transfers: "inactive" },
    charges_enabled: false,
    country: str(form.country) ?? "US",
    created: state.clock.now(),
    default_currency: "usd",
    details_submitted: false,
    email: str(form.email) || null,
    metadata: metadataOf(form.metadata),
    payouts_enabled: false,
    type: "express",
  };
  state.accounts.set(account.id, account);
  return ok(account);
}

function accountLinks({ state, req, form, ok }: StripeCall) {
  if (req.method !== "POST") return undefined;
  const account = str(form.account);
  if (!account) return paramMissing("account");
  if (!state.accounts.get(account)) return missing("account", account, "account");
  const returnUrl = str(form.return_url);
  const refreshUrl = str(form.refresh_url);
  if (!returnUrl) return paramMissing("return_url");
  const id = newId("acctlink", 24);
  state.accountLinks.set(id, { account, return_url: returnUrl, refresh_url: refreshUrl ?? returnUrl });
  const created = state.clock.now();
  return ok({
    object: "account_link",
    created,
    expires_at: created + 300,
    url: `${state.publicUrl}/connect/onboard/${id}`,
  });
}

function transfers({ state, req, form, segs, ok }: StripeCall) {
  const id = segs[1];
  if (id) {
    const transfer = state.transfers.get(id);
    if (req.method !== "GET") return undefined;
    return transfer && segs.length === 2 ? ok(transfer) : missing("transfer", id);
  }
  if (req.method === "GET") {
    const group = str(form.transfer_group);
    const destination = str(form.destination);
    const all = [...state.transfers.values()]
      .reverse()
      .filter(
        (t) => (!group || t.transfer_group === group) && (!destination || t.destination === destination),
      );
    return ok(listOf("/v1/transfers", all, req.query));
  }
  if (req.method !== "POST") return undefined;
  const amount = Number(str(form.amount));
  if (!str(form.amount)) return paramMissing("amount");
  if (!Number.isInteger(amount) || amount < 1)
    return paramInvalid("amount", "Invalid positive integer: amount");
  const currency = str(form.currency)?.toLowerCase();
  if (!currency) return paramMissing("currency");
  const destination = str(form.destination);
  if (!destination) return paramMissing("destination");
  const account = state.accounts.get(destination);
  if (!account) return missing("account", destination, "destination");
  if (!account.payouts_enabled) {
    return stripeError(
      400,
      "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
      { code: "insufficient_capabilities_for_transfer", param: "destination" },
    );
  }
  const transfer: StripeTransfer = {
    id: newId("tr", 24),
    object: "transfer",
    amount,
    amount_reversed: 0,
    created: state.clock.now(),
    currency,
    description: str(form.description) || null,
    destination,
    livemode: false,
    metadata: metadataOf(form.metadata),
    reversed: false,
    transfer_group: str(form.transfer_group) || null,
  };
  state.transfers.set(transfer.id, transfer);
  return ok(transfer);
}

/** The onboarding page's "Complete onboarding": the account can be paid from now on. */
export function completeOnboarding(state: SandboxState, linkId: string): string | undefined {
  const link = state.accountLinks.get(linkId);
  const account = link && state.accounts.get(link.account);
  if (!link || !account) return undefined;
  if (!account.payouts_enabled) {
    const previous = {
      charges_enabled: account.charges_enabled,
      payouts_enabled: account.payouts_enabled,
      details_submitted: account.details_submitted,
      capabilities: { ...account.capabilities },
    };
    Object.assign(account, { charges_enabled: true, payouts_enabled: true, details_submitted: true });
    account.capabilities = { transfers: "active" };
    state.stripeEvent("account.updated", account, account.id, previous);
  }
  state.accountLinks.delete(linkId);
  return link.return_url;
}
