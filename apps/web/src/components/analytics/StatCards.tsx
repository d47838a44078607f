import { useTranslation } from "react-i18next";
import {
  type AudienceTotals,
  csvFileName,
  formatHours,
  formatMs,
  formatPct,
  type QoeFigures,
  qoeTotalsData,
} from "../../lib/analytics";
import { useFormat } from "../../lib/format";
import { Skeleton } from "../../ui";
import { CsvButton } from "./CsvButton";

interface Stat {
  key: string;
  label: string;
  value: string;
  hint?: string;
}

function StatList({ stats, testId }: { stats: Stat[]; testId: string }) {
  return (
    <dl className="analytics-stats" data-testid={testId}>
      {stats.map((s) => (
        <div key={s.key} className="analytics-stat" data-stat={s.key}>
          <dt>{s.label}</dt>
          <dd className="analytics-stat-value">{s.value}</dd>
          {s.hint ? <dd className="analytics-stat-hint muted">{s.hint}</dd> : null}
        </div>
      ))}
    </dl>
  );
}

/** The audience totals of the range: views, engaged views, unique viewers, watch time, average view duration. */
export function TotalsCards({ totals }: { totals: AudienceTotals }) {
  const { t } = useTranslation("analytics");
  const f = useFormat();
  return (
    <section aria-labelledby="analytics-totals">
      <h2 id="analytics-totals" className="visually-hidden">
        {t("totals.title")}
      </h2>
      <StatList
        testId="analytics-totals"
        stats={[
          { key: "views", label: t("totals.views"), value: f.number(totals.views) },
          {
            key: "engagedViews",
            label: t("totals.engagedViews"),
            value: f.number(totals.engagedViews),
            hint: t("totals.engagedViewsHint"),
          },
          { key: "uniqueViewers", label: t("totals.uniqueViewers"), value: f.number(totals.uniqueViewers) },
          { key: "watchTime", label: t("totals.watchTime"), value: formatHours(totals.watchTimeMs, f.lang) },
          {
            key: "averageViewDuration",
            label: t("totals.averageViewDuration"),
            value: f.duration(totals.averageViewDurationMs),
          },
        ]}
      />
    </section>
  );
}

/**
 * The quality of experience of the range (Mux Data's figures), with its CSV. Headed "Quality of
 * experience" unless `title` says otherwise (the admin page, whose h1 already says it).
 */
export function QoeCards({
  qoe,
  range,
  scope,
  title,
}: {
  qoe: QoeFigures;
  range: { from: string; to: string };
  scope: string;
  title?: string;
}) {
  const { t } = useTranslation("analytics");
  const f = useFormat();
  const heading = title ?? t("qoe.title");
  return (
    <section
      className="studio-card analytics-card analytics-card--wide"
      aria-labelledby="analytics-qoe"
      data-testid="analytics-qoe"
    >
      <h2 id="analytics-qoe">{heading}</h2>
      <StatList
        testId="analytics-qoe-figures"
        stats={[
          {
            key: "startupMedian",
            label: t("qoe.startupMedian"),
            value: formatMs(qoe.startupTimeMedianMs, f.lang),
          },
          { key: "startupP90", label: t("qoe.startupP90"), value: formatMs(qoe.startupTimeP90Ms, f.lang) },
          {
            key: "rebufferPercentage",
            label: t("qoe.rebufferPercentage"),
            value: formatPct(qoe.rebufferPercentage, f.lang),
            hint: t("qoe.rebufferPercentageHint"),
          },
          { key: "rebufferCount", label: t("qoe.rebufferCount"), value: f.number(qoe.rebufferCount) },
          {
            key: "failurePercentage",
            label: t("qoe.failurePercentage"),
            value: formatPct(qoe.playbackFailurePercentage, f.lang),
          },
          {
            key: "exitsBeforeStart",
            label: t("qoe.exitsBeforeStart"),
            value: formatPct(qoe.exitsBeforeStartPercentage, f.lang),
          },
        ]}
      />
      <div className="analytics-card-foot">
        <CsvButton
          data={() => qoeTotalsData(qoe)}
          fileName={csvFileName(scope, "quality", range)}
          chart={heading}
        />
      </div>
    </section>
  );
}

/** The page on its way: stat tiles and chart-sized cards, announced once. */
export function AnalyticsSkeleton({ label }: { label: string }) {
  return (
    <div className="stack" role="status" aria-label={label} data-testid="analytics-loading">
      <div className="analytics-stats">
        {Array.from({ length: 5 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholders
          <Skeleton key={i} height="5.5rem" radius="lg" />
        ))}
      </div>
      <Skeleton height="20rem" radius="lg" />
      <div className="analytics-grid">
        <Skeleton height="16rem" radius="lg" />
        <Skeleton height="16rem" radius="lg" />
      </div>
    </div>
  );
}
