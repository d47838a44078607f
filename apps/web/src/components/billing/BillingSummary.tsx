import { CreditCard, RefreshCw } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { BillingState, Plan, Subscription } from "../../api/types";
import { cancelPlan, isPaidPlan, openPortal } from "../../lib/billing";
import { useFormat } from "../../lib/format";
import { useAction } from "../../lib/useAction";
import { Button, ButtonLink, ConfirmDialog, toast } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";

/** The plan's name: the API's (from GET /plans) when known, else our own word for the id. */
export function usePlanName(plans: Plan[] | undefined) {
  const { t } = useTranslation("common");
  return (planId: string) => {
    const known = plans?.find((p) => p.id === planId)?.name;
    if (known) return known;
    return planId === "free" || planId === "standard" || planId === "premium" ? t(`plan.${planId}`) : planId;
  };
}

/** When the plan stops (cancel at period end, canceled, grace), else null. */
const endsAt = (sub: Subscription) => sub.accessEndsAt ?? sub.currentPeriodEnd;

/** The subscription's state in one line ("Active · renews on 5 Jan 2027"). */
function StatusLine({ billing }: { billing: BillingState }) {
  const { t } = useTranslation("billing");
  const f = useFormat();
  const sub = billing.subscription;
  let text: string;
  if (!sub || (!isPaidPlan(billing.entitlements.plan) && sub.status !== "pending"))
    text = t("page.status.free");
  else if (sub.status === "pending") text = t("page.status.pending");
  else if (sub.status === "ended") text = t("page.status.ended");
  else if (sub.status === "past_due") text = t("page.status.pastDue");
  else if (sub.status === "canceled") text = t("page.status.canceled", { date: f.date(endsAt(sub)) });
  else if (sub.cancelAtPeriodEnd) text = t("page.status.cancels", { date: f.date(endsAt(sub)) });
  else if (sub.currentPeriodEnd)
    text =
      sub.status === "trialing"
        ? t("page.status.trialing", { date: f.date(sub.currentPeriodEnd) })
        : t("page.status.renews", { date: f.date(sub.currentPeriodEnd) });
  else text = t("page.status.active");
  return (
    <p className="billing-status" data-testid="billing-status">
      {text}
    </p>
  );
}

/**
 * The account's plan: its name, its state in words, the next charge, a failed payment as an
 * alert (with the provider's reason and the date the plan stops), and what can be done: manage
 * in Stripe's portal, cancel (at the period's end), change plan.
 */
export function BillingSummary({ billing, plans }: { billing: BillingState; plans: Plan[] | undefined }) {
  const { t } = useTranslation("billing");
  const f = useFormat();
  const planName = usePlanName(plans);
  const portal = useAction(openPortal);
  const sub = billing.subscription;
  const plan = billing.entitlements.plan;
  const paid = isPaidPlan(plan);
  const live = sub && (sub.status === "active" || sub.status === "trialing" || sub.status === "past_due");
  const subPlan = sub ? plans?.find((p) => p.id === sub.planId) : undefined;
  const nextPrice = sub && subPlan ? subPlan.prices[sub.interval] : null;
  const renews =
    live && sub && !sub.cancelAtPeriodEnd && sub.status !== "past_due" ? sub.currentPeriodEnd : null;

  async function cancel() {
    const next = await cancelPlan();
    const until = next.subscription ? endsAt(next.subscription) : null;
    toast({ title: until ? t("page.cancel.doneUntil", { date: f.date(until) }) : t("page.cancel.done") });
  }

  return (
    <section className="billing-section panel billing-summary" aria-labelledby="billing-plan-title">
      <h2 id="billing-plan-title" className="billing-label">
        {t("page.plan")}
      </h2>
      <p className="billing-plan-name" data-testid="billing-plan" data-plan={plan}>
        {planName(plan)}
      </p>
      <StatusLine billing={billing} />
      {sub?.status === "past_due" ? (
        <div role="alert" className="problem" data-testid="billing-past-due">
          <strong>
            {sub.graceEndsAt
              ? t("page.pastDue.title", { date: f.date(sub.graceEndsAt) })
              : t("page.pastDue.titleNoDate")}
          </strong>
          {billing.lastPaymentProblem ? (
            <p>{t("page.pastDue.problem", { problem: billing.lastPaymentProblem })}</p>
          ) : null}
          <p>{t("page.pastDue.description")}</p>
        </div>
      ) : null}
      {renews ? (
        <p>
          {nextPrice
            ? t("page.nextCharge", {
                price: f.money(nextPrice.amountCents, nextPrice.currency),
                date: f.date(renews),
              })
            : t("page.nextChargeDate", { date: f.date(renews) })}
        </p>
      ) : null}
      {sub && live ? <p className="muted">{t(`page.paidWith.${sub.provider}`)}</p> : null}
      {sub?.provider === "paypal" && live ? <p className="muted">{t("page.paypalManage")}</p> : null}
      <div className="row billing-actions">
        {sub?.provider === "stripe" && live ? (
          <Button
            variant="primary"
            icon={<CreditCard />}
            busy={portal.busy}
            onClick={() => void portal.run()}
          >
            {t("page.manage")}
          </Button>
        ) : null}
        <ButtonLink to="/plans" icon={<RefreshCw />} variant={paid ? "secondary" : "primary"}>
          {paid ? t("page.change") : t("page.seePlans")}
        </ButtonLink>
        {live && !sub.cancelAtPeriodEnd ? (
          <ConfirmDialog
            trigger={<Button variant="ghost">{t("page.cancel.action")}</Button>}
            title={t("page.cancel.title")}
            description={
              endsAt(sub)
                ? t("page.cancel.description", { plan: planName(plan), date: f.date(endsAt(sub)) })
                : t("page.cancel.descriptionNoDate")
            }
            confirmLabel={t("page.cancel.action")}
            cancelLabel={t("page.cancel.keep")}
            onConfirm={cancel}
          />
        ) : null}
      </div>
      <ProblemMessage error={portal.error} />
    </section>
  );
}
