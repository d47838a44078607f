import { api, must } from "../../api/client";
import { useLoad } from "../../lib/useLoad";
import { ProblemMessage } from "../ProblemMessage";
import { LikeChart } from "./LikeChart";

/** A video's likes and dislikes over the last 30 days: totals and the per-day chart. */
export function LikeStats({ videoId }: { videoId: string }) {
  const stats = useLoad(
    () =>
      must(
        api.GET("/api/v1/videos/{videoId}/reactions/stats", {
          params: { path: { videoId }, query: { days: 30 } },
        }),
      ),
    [videoId],
  );
  const totals = stats.data?.totals;
  return (
    <section className="studio-card" aria-labelledby="stats-heading">
      <h2 id="stats-heading">Likes, last 30 days</h2>
      <ProblemMessage error={stats.error} />
      {stats.data && totals ? (
        <>
          <p data-testid="like-totals">
            {totals.likes} likes · {totals.dislikes} dislikes · net {totals.net}
          </p>
          <LikeChart days={stats.data.days} />
        </>
      ) : null}
    </section>
  );
}
