import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { type EarningsPage, periodLabel } from "../../lib/payouts";
import { Skeleton } from "../../ui";

/** The totals (earned, paid, not paid yet) and this month's estimate, as four tiles. */
export function EarningsSummary({ page }: { page: Pick<EarningsPage, "currency" | "totals" | "estimate"> }) {
  const { t } = useTranslation("payouts");
  const f = useFormat();
  const money = (cents: number) => f.money(cents, page.currency);
  const { totals, estimate } = page;
  const tiles = [
    { key: "earned", label: t("summary.earned"), cents: totals.earnedCents, hint: t("summary.earnedHint") },
    { key: "paid", label: t("summary.paid"), cents: totals.paidCents, hint: t("summary.paidHint") },
    {
      key: "pending",
      label: t("summary.pending"),
      cents: totals.pendingCents,
      hint: t("summary.pendingHint"),
    },
  ];
  return (
    <dl className="payouts-stats" aria-label={t("summary.label")} data-testid="earnings-totals">
      {tiles.map((tile) => (
        <div key={tile.key} className="payouts-stat" data-testid={`total-${tile.key}`}>
          <dt>{tile.label}</dt>
          <dd className="payouts-amount">{money(tile.cents)}</dd>
          <dd className="payouts-hint">{tile.hint}</dd>
        </div>
      ))}
      <div className="payouts-stat" data-estimate="" data-testid="total-estimate">
        <dt>{t("summary.estimate")}</dt>
        {estimate ? (
          <>
            <dd className="payouts-amount">{money(estimate.adsCents + estimate.premiumCents)}</dd>
            <dd className="payouts-hint">
              {t("summary.estimateHint", {
                period: periodLabel(estimate.period, f.lang, "long"),
                ads: money(estimate.adsCents),
                premium: money(estimate.premiumCents),
              })}
            </dd>
          </>
        ) : (
          <dd className="payouts-hint">{t("summary.noEstimate")}</dd>
        )}
      </div>
    </dl>
  );
}

/** The tiles' shape while the first answer is on its way. */
export function EarningsSummarySkeleton() {
  return (
    <div className="payouts-stats" aria-hidden="true">
      {[0, 1, 2, 3].map((i) => (
        <Skeleton key={i} height="6.5rem" radius="lg" />
      ))}
    </div>
  );
}
