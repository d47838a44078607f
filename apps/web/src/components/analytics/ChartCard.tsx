import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ChartData } from "../../lib/analytics";
import { CsvButton } from "./CsvButton";

/**
 * One chart's card: its heading, the drawing (a canvas for the eye), the same numbers as a table
 * (visually hidden unless `tableVisible`: screen readers read it, and it is what tests assert), and
 * "Download CSV" with that data. `empty` replaces drawing and table when there is nothing to draw.
 */
export function ChartCard({
  id,
  title,
  summary,
  chart,
  table,
  tableVisible = false,
  data,
  fileName,
  empty,
  wide = false,
}: {
  /** Stable name: the heading's id (`analytics-<id>`), `data-chart` for tests and part of the file name. */
  id: string;
  title: string;
  summary?: ReactNode;
  chart?: ReactNode;
  table: ReactNode;
  tableVisible?: boolean;
  data: () => ChartData;
  fileName: string;
  /** Nothing to draw: this text instead (the CSV button stays: a header row is still an answer). */
  empty?: string | null;
  wide?: boolean;
}) {
  const { t } = useTranslation("analytics");
  const headingId = `analytics-${id}`;
  return (
    <section
      className={wide ? "studio-card analytics-card analytics-card--wide" : "studio-card analytics-card"}
      aria-labelledby={headingId}
      data-testid="analytics-chart"
      data-chart={id}
    >
      <h2 id={headingId}>{title}</h2>
      {summary ? <p className="muted analytics-summary">{summary}</p> : null}
      {empty ? (
        <p className="muted analytics-empty">{empty}</p>
      ) : (
        <>
          {chart ? <div className="analytics-figure">{chart}</div> : null}
          <div className={tableVisible ? "analytics-table-wrap" : "visually-hidden"}>{table}</div>
        </>
      )}
      <div className="analytics-card-foot">
        <CsvButton data={data} fileName={fileName} chart={title || t("title")} />
      </div>
    </section>
  );
}
