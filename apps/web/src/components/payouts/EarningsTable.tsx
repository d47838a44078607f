import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { type ChartPoint, type EarningsRow, periodLabel } from "../../lib/payouts";

/**
 * The earnings per period as a table, newest first (the chart's accessible twin, and what a reader
 * copies), with this month's estimate on top when there is one.
 */
export function EarningsTable({ rows, estimate }: { rows: EarningsRow[]; estimate: ChartPoint | null }) {
  const { t } = useTranslation("payouts");
  const f = useFormat();
  const money = (cents: number) => f.money(cents, "usd");
  return (
    <div className="payouts-table-wrap">
      <table className="payouts-table" data-testid="earnings-table">
        <caption>{t("table.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("table.period")}</th>
            <th scope="col" className="payouts-num">
              {t("table.ads")}
            </th>
            <th scope="col" className="payouts-num">
              {t("table.premium")}
            </th>
            <th scope="col" className="payouts-num">
              {t("table.total")}
            </th>
            <th scope="col" className="payouts-num">
              {t("table.paid")}
            </th>
            <th scope="col" className="payouts-num">
              {t("table.pending")}
            </th>
          </tr>
        </thead>
        <tbody>
          {estimate ? (
            <tr data-estimate="" data-testid="earnings-estimate" data-period={estimate.period}>
              <th scope="row">
                {t("chart.estimateLabel", { period: periodLabel(estimate.period, f.lang) })}
              </th>
              <td className="payouts-num">{money(estimate.adsCents)}</td>
              <td className="payouts-num">{money(estimate.premiumCents)}</td>
              <td className="payouts-num">{money(estimate.totalCents)}</td>
              <td className="payouts-num">{money(0)}</td>
              <td className="payouts-num">{t("table.estimate")}</td>
            </tr>
          ) : null}
          {rows.map((r) => (
            <tr key={r.period} data-testid="earnings-row" data-period={r.period}>
              <th scope="row">{periodLabel(r.period, f.lang)}</th>
              <td className="payouts-num">{money(r.adsCents)}</td>
              <td className="payouts-num">{money(r.premiumCents)}</td>
              <td className="payouts-num">{money(r.totalCents)}</td>
              <td className="payouts-num">{money(r.paidCents)}</td>
              <td className="payouts-num">{money(r.pendingCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
