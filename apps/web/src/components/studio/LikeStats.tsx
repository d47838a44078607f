import { ChartColumn } from "lucide-react";
import { useTranslation } from "react-i18next";
import { api, must } from "../../api/client";
import { useFormat } from "../../lib/format";
import { useLoad } from "../../lib/useLoad";
import { EmptyState, ErrorState, Skeleton } from "../../ui";
import { LikeChart } from "./LikeChart";

/** A video's likes and dislikes over the last 30 days: totals and the per-day chart. */
export function LikeStats({ videoId }: { videoId: string }) {
  const { t } = useTranslation("studio");
  const f = useFormat();
  const stats = useLoad(
    () =>
      must(
        api.GET("/api/v1/videos/{videoId}/reactions/stats", {
          params: { path: { videoId }, query: { days: 30 } },
        }),
      ),
    [videoId],
  );
  const data = stats.data;
  const quiet = data ? data.days.every((d) => d.likes === 0 && d.dislikes === 0) : false;
  return (
    <section className="studio-card" aria-labelledby="stats-heading">
      <h2 id="stats-heading">{t("stats.heading")}</h2>
      {data ? (
        <>
          <dl className="studio-totals" data-testid="like-totals">
            <div>
              <dt>{t("stats.likes")}</dt>
              <dd>{f.number(data.totals.likes)}</dd>
            </div>
            <div>
              <dt>{t("stats.dislikes")}</dt>
              <dd>{f.number(data.totals.dislikes)}</dd>
            </div>
            <div>
              <dt>{t("stats.net")}</dt>
              <dd>{f.number(data.totals.net)}</dd>
            </div>
          </dl>
          {quiet ? (
            <EmptyState
              compact
              icon={<ChartColumn />}
              title={t("stats.emptyTitle")}
              description={t("stats.emptyDescription")}
            />
          ) : (
            <LikeChart days={data.days} />
          )}
        </>
      ) : stats.error ? (
        <ErrorState compact error={stats.error} onRetry={stats.reload} />
      ) : (
        <div role="status" className="studio-stats-loading">
          <span className="visually-hidden">{t("stats.loading")}</span>
          <Skeleton height="3.5rem" radius="md" />
          <Skeleton height="15rem" radius="md" />
        </div>
      )}
    </section>
  );
}
