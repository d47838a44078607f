import { Captions } from "lucide-react";
import { useTranslation } from "react-i18next";
import { type CaptionTrack, listCaptions, withTrack } from "../../lib/captions";
import { useLoad } from "../../lib/useLoad";
import { EmptyState, ErrorState, SkeletonText } from "../../ui";
import { AddCaptionsForm } from "./AddCaptionsForm";
import { CaptionRow } from "./CaptionRow";

/**
 * A video's captions in the studio: its languages (each to edit, replace or delete) and the form
 * that adds one. Viewers find them in the player's captions menu (off until they choose one).
 */
export function CaptionsSection({ videoId }: { videoId: string }) {
  const { t } = useTranslation("studio");
  const list = useLoad(() => listCaptions(videoId), [videoId]);
  const saved = (track: CaptionTrack) => list.setData((prev) => withTrack(prev ?? [], track));
  const deleted = (language: string) =>
    list.setData((prev) => (prev ?? []).filter((track) => track.language !== language));
  const tracks = list.data;
  return (
    <section className="studio-card" aria-labelledby="captions-heading" data-testid="captions-section">
      <h2 id="captions-heading">{t("captions.heading")}</h2>
      <p className="muted studio-captions-intro">{t("captions.explain")}</p>
      {tracks ? (
        tracks.length === 0 ? (
          <EmptyState
            compact
            icon={<Captions />}
            title={t("captions.emptyTitle")}
            description={t("captions.emptyDescription")}
          />
        ) : (
          <ul className="studio-captions" aria-label={t("captions.listLabel")}>
            {tracks.map((track) => (
              <CaptionRow
                key={track.language}
                videoId={videoId}
                track={track}
                onSaved={saved}
                onDeleted={deleted}
              />
            ))}
          </ul>
        )
      ) : list.error ? (
        <ErrorState compact error={list.error} onRetry={list.reload} />
      ) : (
        <div role="status">
          <span className="visually-hidden">{t("captions.loading")}</span>
          <SkeletonText lines={2} />
        </div>
      )}
      <AddCaptionsForm videoId={videoId} onSaved={saved} />
    </section>
  );
}
