import { Check, Minus } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { BillingInterval, Plan } from "../../api/types";
import { useFormat } from "../../lib/format";
import { Badge } from "../../ui";

/** "Up to 1080p" / "Up to 4K" (2160 lines and more are what people call 4K). */
export function useHeightWords() {
  const { t } = useTranslation("billing");
  return (height: number) =>
    height >= 2160 ? t("plans.limits.height4k") : t("plans.limits.height", { height });
}

/** The plan's price for the interval in words ("$17.99 / month"), "Free", or null when not sold so. */
export function usePriceWords() {
  const { t } = useTranslation("billing");
  const f = useFormat();
  return (plan: Plan, interval: BillingInterval): string | null => {
    const price = plan.prices[interval];
    const free = !plan.prices.month?.amountCents && !plan.prices.year?.amountCents;
    if (free) return t("plans.freePrice");
    if (!price) return null;
    const money = f.money(price.amountCents, price.currency);
    return interval === "month"
      ? t("plans.perMonth", { price: money })
      : t("plans.perYear", { price: money });
  };
}

/**
 * One plan: its name, its price for the chosen interval, what it includes in plain words, whether
 * it is the account's plan now, and the action (`action`: choose it, or where to change it).
 * `data-plan` is the plan's id (tests pick a card by it).
 */
export function PlanCard({
  plan,
  interval,
  current,
  action,
}: {
  plan: Plan;
  interval: BillingInterval;
  current: boolean;
  action?: ReactNode;
}) {
  const { t } = useTranslation("billing");
  const heightWords = useHeightWords();
  const priceWords = usePriceWords();
  const price = priceWords(plan, interval);
  const headingId = `plan-${plan.id}-title`;
  const limits: { key: string; included: boolean; text: string }[] = [
    { key: "height", included: true, text: heightWords(plan.maxHeight) },
    {
      key: "ads",
      included: plan.adFree,
      text: plan.adFree ? t("plans.limits.noAds") : t("plans.limits.ads"),
    },
    { key: "streams", included: true, text: t("plans.limits.streams", { count: plan.streams }) },
    ...(plan.premiumContent ? [{ key: "premium", included: true, text: t("plans.limits.premium") }] : []),
  ];
  return (
    <article
      className={current ? "plan-card is-current" : "plan-card"}
      data-plan={plan.id}
      data-current={current || undefined}
      aria-labelledby={headingId}
    >
      <div className="plan-card-head">
        <h2 id={headingId}>{plan.name}</h2>
        {current ? <Badge tone="success">{t("plans.current")}</Badge> : null}
      </div>
      <p className="plan-card-price">{price ?? <span className="muted">{t("plans.notYearly")}</span>}</p>
      <ul className="plan-card-limits" aria-label={t("plans.limits.label", { plan: plan.name })}>
        {limits.map((l) => (
          <li key={l.key} className={l.included ? undefined : "muted"}>
            {l.included ? (
              <Check className="plan-card-yes" aria-hidden="true" />
            ) : (
              <Minus aria-hidden="true" />
            )}
            {l.text}
          </li>
        ))}
      </ul>
      {action ? <div className="plan-card-action">{action}</div> : null}
    </article>
  );
}
