import { ChartColumn } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { csvFileName, formatHours, parseRange, type TopVideo, topVideosData } from "../../lib/analytics";
import { useFormat } from "../../lib/format";
import { ChartCard } from "./ChartCard";

/** The channel's most viewed videos in the range, each linking to its own analytics. */
export function TopVideos({
  videos,
  range,
  scope,
}: {
  videos: TopVideo[];
  range: { from: string; to: string };
  scope: string;
}) {
  const { t } = useTranslation("analytics");
  const f = useFormat();
  // A video's analytics open on the range shown here (`?range=90`), not the default one.
  const [params] = useSearchParams();
  const rangeParam = params.get("range");
  const keep = rangeParam === null ? "" : `?range=${parseRange(rangeParam)}`;
  return (
    <ChartCard
      id="top-videos"
      wide
      tableVisible
      title={t("charts.topVideos")}
      empty={videos.length ? null : t("charts.empty")}
      table={
        <table className="analytics-table analytics-table--visible" data-testid="analytics-table">
          <caption className="visually-hidden">{t("charts.topVideos")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("charts.topVideo")}</th>
              <th scope="col" className="analytics-num">
                {t("totals.views")}
              </th>
              <th scope="col" className="analytics-num">
                {t("totals.watchTime")}
              </th>
              <th scope="col" className="analytics-num">
                {t("totals.averageViewDuration")}
              </th>
            </tr>
          </thead>
          <tbody>
            {videos.map((v) => (
              <tr key={v.videoId} data-testid="analytics-top-video" data-video-id={v.videoId}>
                <th scope="row">
                  <Link
                    className="analytics-video-link"
                    to={`/studio/videos/${v.videoId}/analytics${keep}`}
                    aria-label={t("charts.topVideoAnalytics", { title: v.title })}
                  >
                    <ChartColumn aria-hidden="true" />
                    <span>{v.title}</span>
                  </Link>
                </th>
                <td className="analytics-num">{f.number(v.views)}</td>
                <td className="analytics-num">{formatHours(v.watchTimeMs, f.lang)}</td>
                <td className="analytics-num">{f.duration(v.averageViewDurationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
      data={() => topVideosData(videos)}
      fileName={csvFileName(scope, "top-videos", range)}
    />
  );
}
