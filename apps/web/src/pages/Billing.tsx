import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { BillingSummary, usePlanName } from "../components/billing/BillingSummary";
import { InvoiceTable } from "../components/billing/InvoiceTable";
import { SignInPrompt } from "../components/SignInPrompt";
import {
  clearPendingCheckout,
  isPaidPlan,
  pendingCheckout,
  refreshBilling,
  useBilling,
} from "../lib/billing";
import { useSession } from "../lib/session";
import { useInterval } from "../lib/useInterval";
import { useLoad } from "../lib/useLoad";
import { cursorQuery, usePagedList } from "../lib/usePagedList";
import { ErrorState, PageLoading, Spinner } from "../ui";
import "../styles/billing.css";

const POLL_MS = 1_000;
/** Webhooks usually land within a second or two; after this the page stops asking and says so. */
const POLL_FOR = 20;

/**
 * Back from a provider's checkout (`?checkout=success`): the payment is done, but the plan changes
 * only when the provider's webhook reaches the edge, a moment later. Ask again every second (up to
 * ~20 s) until the entitlements show a paid plan; `onLanded` runs once when they do.
 */
function useCheckoutLanding(paid: boolean, onLanded: () => void) {
  const [params] = useSearchParams();
  const returned = params.get("checkout") === "success";
  const [polls, setPolls] = useState(0);
  const waiting = returned && !paid && polls < POLL_FOR;
  useInterval(
    () => {
      setPolls((n) => n + 1);
      void refreshBilling();
    },
    waiting ? POLL_MS : null,
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the paid plan shows up
  useEffect(() => {
    if (returned && paid) {
      clearPendingCheckout();
      onLanded();
    }
  }, [returned, paid]);
  return { returned, waiting, slow: returned && !paid && !waiting };
}

/** The account's plan and its state, what to do about it, and the invoices. */
export function BillingPage() {
  const { t } = useTranslation("billing");
  const s = useSession();
  const { billing, error } = useBilling();
  const plans = useLoad(() => must(api.GET("/api/v1/plans")), []);
  const invoices = usePagedList(
    (cursor) =>
      must(
        api.GET("/api/v1/me/billing/invoices", { params: { query: { limit: 20, ...cursorQuery(cursor) } } }),
      ),
    [s?.accountId],
    { enabled: Boolean(s) },
  );
  const paid = isPaidPlan(billing?.entitlements.plan);
  const landing = useCheckoutLanding(paid, invoices.reload);
  const planName = usePlanName(plans.data?.items);
  const [bought] = useState(pendingCheckout);

  if (!s)
    return (
      <SignInPrompt
        title={t("page.title")}
        message={t("page.signIn")}
        next="/account/billing"
        className="billing-page"
      />
    );

  const welcomePlan = paid && billing ? planName(billing.entitlements.plan) : bought?.name;
  return (
    <section className="billing-page" aria-labelledby="billing-title">
      <header className="billing-head">
        <h1 id="billing-title">{t("page.title")}</h1>
      </header>
      {landing.returned ? (
        <div className="billing-landing panel" role="status">
          <p className="billing-landing-title">
            {welcomePlan
              ? t("page.checkout.success", { plan: welcomePlan })
              : t("page.checkout.successNoPlan")}
          </p>
          {landing.waiting ? (
            <p className="row muted" data-testid="billing-waiting">
              <Spinner size="sm" />
              {t("page.checkout.waiting")}
            </p>
          ) : null}
          {landing.slow ? <p className="muted">{t("page.checkout.slow")}</p> : null}
        </div>
      ) : null}
      {billing ? (
        <BillingSummary billing={billing} plans={plans.data?.items} />
      ) : error ? (
        <ErrorState error={error} onRetry={() => void refreshBilling()} />
      ) : (
        <PageLoading label={t("page.loading")} />
      )}
      <InvoiceTable list={invoices} />
    </section>
  );
}
