import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { api, must } from "../api/client";
import type { BillingInterval, Plan } from "../api/types";
import { PlanCard } from "../components/billing/PlanCard";
import { ProviderDialog } from "../components/billing/ProviderDialog";
import { SignInPrompt } from "../components/SignInPrompt";
import { FREE_PLAN, isPaidPlan, useBilling } from "../lib/billing";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import { Button, ButtonLink, ErrorState, PageLoading, toast } from "../ui";
import "../styles/billing.css";

/** `?checkout=canceled` (the provider's page sent the person back): say so once, then drop it from the URL. */
function useCanceledNotice() {
  const { t } = useTranslation("billing");
  const [params, setParams] = useSearchParams();
  const canceled = params.get("checkout") === "canceled";
  useEffect(() => {
    if (!canceled) return;
    toast({ title: t("plans.canceled") });
    setParams(
      (p) => {
        p.delete("checkout");
        return p;
      },
      { replace: true },
    );
  }, [canceled, setParams, t]);
}

/**
 * The plans (`GET /plans`) side by side, monthly or yearly: price, what each includes, the
 * account's plan marked. A paid plan is bought through a provider's checkout (ProviderDialog);
 * an account already on a paid plan changes it in the billing portal instead (the edge refuses a
 * second subscription). Signed out: the same cards and a way to sign in that comes back here.
 */
export function PlansPage() {
  const { t } = useTranslation("billing");
  const s = useSession();
  const [interval, setBillingInterval] = useState<BillingInterval>("month");
  const [choosing, setChoosing] = useState<Plan | null>(null);
  const plans = useLoad(() => must(api.GET("/api/v1/plans")), []);
  const { billing } = useBilling();
  useCanceledNotice();
  const current = s ? (billing?.entitlements.plan ?? null) : null;

  function actionFor(plan: Plan, when: BillingInterval) {
    if (!s || current === null || plan.id === current || plan.id === FREE_PLAN) return null;
    if (isPaidPlan(current))
      return (
        <ButtonLink to="/account/billing" block>
          {t("plans.changeInBilling")}
        </ButtonLink>
      );
    return (
      <Button variant="primary" block disabled={!plan.prices[when]} onClick={() => setChoosing(plan)}>
        {t("plans.choose", { plan: plan.name })}
      </Button>
    );
  }

  const grid = (when: BillingInterval) =>
    plans.data ? (
      <div className="plan-grid">
        {plans.data.items.map((plan) => (
          <PlanCard
            key={plan.id}
            plan={plan}
            interval={when}
            current={plan.id === current}
            action={actionFor(plan, when)}
          />
        ))}
      </div>
    ) : plans.error ? (
      <ErrorState error={plans.error} onRetry={plans.reload} />
    ) : (
      <PageLoading label={t("plans.loading")} />
    );

  return (
    <section className="billing-page plans-page" aria-labelledby="plans-title">
      <header className="billing-head">
        <h1 id="plans-title">{t("plans.title")}</h1>
        <p className="muted">{t("plans.intro")}</p>
      </header>
      {s ? null : <SignInPrompt next="/plans" message={t("plans.signIn")} />}
      {/* A segmented toggle, not Radix Tabs: ui/Tabs.tsx's Radix code would land in the shell every
          page loads (the bundler shares it), over the home page's budget. */}
      <fieldset className="plan-interval">
        <legend className="visually-hidden">{t("plans.interval")}</legend>
        {(["month", "year"] as const).map((when) => (
          <Button
            key={when}
            size="sm"
            variant={interval === when ? "primary" : "ghost"}
            aria-pressed={interval === when}
            onClick={() => setBillingInterval(when)}
          >
            {when === "month" ? t("plans.monthly") : t("plans.yearly")}
          </Button>
        ))}
      </fieldset>
      {grid(interval)}
      <ProviderDialog plan={choosing} interval={interval} onClose={() => setChoosing(null)} />
    </section>
  );
}
