import { ChartColumn } from "lucide-react";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { adsApi } from "../../lib/ads";
import { useLoad } from "../../lib/useLoad";
import { EmptyState, ErrorState, Skeleton } from "../../ui";
import { ReportTable } from "./ReportTable";

// Chart.js (~60 kB gzipped with the pieces we use) comes only when there is a report to draw.
const ReportChart = lazy(() => import("./ReportChart").then((m) => ({ default: m.ReportChart })));

/** The campaign's last 14 days (GET …/report): the charts, and the same numbers as a table. */
export function CampaignReportSection({ campaignId, version }: { campaignId: string; version: string }) {
  const { t } = useTranslation("ads");
  const report = useLoad(() => adsApi.report(campaignId), [campaignId, version]);
  const data = report.data;
  return (
    <section className="ads-card stack" aria-labelledby="report-title" data-testid="campaign-report">
      <h2 id="report-title">{t("report.title")}</h2>
      {report.error ? <ErrorState compact error={report.error} onRetry={report.reload} /> : null}
      {!data && report.loading ? <Skeleton height="16rem" radius="md" /> : null}
      {data && data.items.length === 0 ? (
        <EmptyState
          compact
          icon={<ChartColumn />}
          title={t("report.empty")}
          description={t("report.emptyHint")}
        />
      ) : null}
      {data && data.items.length > 0 ? (
        <>
          <Suspense fallback={<Skeleton height="16rem" radius="md" />}>
            <ReportChart days={data.items} />
          </Suspense>
          <ReportTable report={data} />
        </>
      ) : null}
    </section>
  );
}
