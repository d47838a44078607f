import { lazy, Suspense, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { chartPoints, type EarningsPage, type EarningsRow } from "../../lib/payouts";
import type { PagedList } from "../../lib/usePagedList";
import { Skeleton } from "../../ui";
import { ListFooter } from "../ListFooter";
import { EarningsTable } from "./EarningsTable";

// Chart.js (~60 kB gzipped with the pieces used) comes only when there are earnings to draw.
const EarningsChart = lazy(() => import("./EarningsChart").then((m) => ({ default: m.EarningsChart })));

/** "By month": the chart (ads vs premium, earned vs paid), the same numbers as a table, older months. */
export function EarningsSection({
  list,
  estimate,
}: {
  list: PagedList<EarningsRow, EarningsPage>;
  estimate: EarningsPage["estimate"];
}) {
  const { t } = useTranslation("payouts");
  const points = useMemo(() => chartPoints(list.items, estimate), [list.items, estimate]);
  const estimatePoint = points.find((p) => p.estimate) ?? null;
  return (
    <section
      className="studio-card stack"
      aria-labelledby="earnings-by-month"
      data-testid="earnings-by-month"
    >
      <h2 id="earnings-by-month">{t("chart.title")}</h2>
      {points.length ? (
        <Suspense fallback={<Skeleton height="16rem" radius="md" />}>
          <EarningsChart points={points} />
        </Suspense>
      ) : null}
      <EarningsTable rows={list.items} estimate={estimatePoint} />
      <ListFooter list={list} more={t("table.more")} />
    </section>
  );
}
