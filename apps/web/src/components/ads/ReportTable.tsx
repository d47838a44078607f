import { useTranslation } from "react-i18next";
import type { CampaignReport, ReportNumbers } from "../../lib/ads";
import { useFormat } from "../../lib/format";
import { ratePercent } from "./rate";

/**
 * The report's numbers as a table (the charts' accessible twin, and what a reader copies):
 * one row per UTC day and the totals. Spend shows whole cents as money (the API's floor of
 * millicents), with the exact millicents in the cell's title.
 */
export function ReportTable({ report }: { report: CampaignReport }) {
  const { t } = useTranslation("ads");
  const f = useFormat();
  const dayFormat = new Intl.DateTimeFormat(f.lang, { dateStyle: "medium", timeZone: "UTC" });
  const cells = (n: ReportNumbers) => (
    <>
      <td className="ads-num">{f.number(n.impressions)}</td>
      <td className="ads-num">{f.number(n.completes)}</td>
      <td className="ads-num">{f.number(n.clicks)}</td>
      <td className="ads-num" title={t("report.millicents", { value: f.number(n.spendMillicents) })}>
        {f.money(n.spendCents, "usd")}
      </td>
      <td className="ads-num">{ratePercent(f.lang, n.ctr)}</td>
      <td className="ads-num">{ratePercent(f.lang, n.completionRate)}</td>
    </>
  );
  return (
    <div className="ads-table-wrap">
      <table className="ads-table" data-testid="report-table">
        <caption>{t("report.tableCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("report.day")}</th>
            <th scope="col" className="ads-num">
              {t("report.impressions")}
            </th>
            <th scope="col" className="ads-num">
              {t("report.completes")}
            </th>
            <th scope="col" className="ads-num">
              {t("report.clicks")}
            </th>
            <th scope="col" className="ads-num">
              {t("report.spend")}
            </th>
            <th scope="col" className="ads-num">
              {t("report.ctr")}
            </th>
            <th scope="col" className="ads-num">
              {t("report.completionRate")}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.items.map((d) => (
            <tr key={d.day} data-testid="report-day" data-day={d.day}>
              <th scope="row">{dayFormat.format(new Date(`${d.day}T00:00:00Z`))}</th>
              {cells(d)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="report-totals">
            <th scope="row">{t("report.total")}</th>
            {cells(report.totals)}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
