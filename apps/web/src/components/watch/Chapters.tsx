import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Video } from "../../api/types";
import { formatDuration } from "../../lib/format";
import { requestSeek } from "../../lib/player/seekRequest";
import { loadStoryboard, type StoryboardTile, tileAt, tileBackground } from "../../lib/storyboard";

/**
 * The video's chapters (from its description; the API applies the rules) as a list: each with the
 * storyboard frame a second into it, its time and title; choosing one plays from there.
 */
export function Chapters({ video, storyboardUrl }: { video: Video; storyboardUrl: string | null }) {
  const { t } = useTranslation("watch");
  const [tiles, setTiles] = useState<StoryboardTile[]>([]);
  useEffect(() => {
    if (!storyboardUrl || !video.chapters.length) return;
    let live = true;
    void loadStoryboard(storyboardUrl).then((loaded) => {
      if (live) setTiles(loaded);
    });
    return () => {
      live = false;
    };
  }, [storyboardUrl, video.chapters.length]);
  if (!video.chapters.length) return null;
  return (
    <section className="watch-chapters" aria-labelledby="watch-chapters-title">
      <h2 id="watch-chapters-title" className="watch-chapters-title">
        {t("chapters.title")}
      </h2>
      <ol className="watch-chapters-list">
        {video.chapters.map((chapter) => {
          const time = formatDuration(chapter.startSeconds * 1000);
          const tile = tiles.length ? tileAt(tiles, chapter.startSeconds + 1) : null;
          return (
            <li key={chapter.startSeconds}>
              <button
                type="button"
                className="watch-chapter"
                aria-label={t("chapters.jump", { time, title: chapter.title })}
                onClick={() => requestSeek(chapter.startSeconds)}
              >
                <span
                  className="watch-chapter-thumb"
                  aria-hidden="true"
                  style={tile ? tileBackground(tile, tiles) : undefined}
                />
                <span className="watch-chapter-time">{time}</span>
                <span className="watch-chapter-name">{chapter.title}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
