import { type CSSProperties, type PointerEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Video } from "../../api/types";
import { formatDuration } from "../../lib/format";
import { type StoryboardTile, tileAt, tileBackground } from "../../lib/storyboard";

/** The chapter a time is in: the last one starting at or before it. */
function chapterAt(chapters: Video["chapters"], seconds: number) {
  let found: Video["chapters"][number] | null = null;
  for (const chapter of chapters) if (chapter.startSeconds <= seconds) found = chapter;
  return found;
}

/**
 * The seek bar, with the storyboard frame, time and chapter under the pointer (or the keyboard's
 * position), and a mark where each chapter after the first starts.
 */
export function Scrubber({
  time,
  duration,
  tiles,
  chapters = [],
  onSeek,
}: {
  time: number;
  duration: number;
  tiles: StoryboardTile[];
  chapters?: Video["chapters"];
  onSeek: (seconds: number) => void;
}) {
  const { t } = useTranslation("player");
  const [preview, setPreview] = useState<{ time: number; fraction: number; width: number } | null>(null);

  function hover(e: PointerEvent<HTMLInputElement>) {
    const rect = e.currentTarget.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width));
    setPreview({ time: fraction * duration, fraction, width: rect.width });
  }

  const shown = Math.min(time, duration || time);
  const played = duration ? (shown / duration) * 100 : 0;
  const tile = preview && tiles.length ? tileAt(tiles, preview.time) : null;
  // The preview's centre follows the pointer but stays inside the bar (no overflow on a phone).
  const half = ((tile?.w ?? 48) + 8) / 2;
  const left = preview
    ? Math.min(Math.max(preview.fraction * preview.width, half), Math.max(half, preview.width - half))
    : 0;
  const now = formatDuration(time * 1000);
  const current = chapterAt(chapters, shown);
  const total = formatDuration(duration * 1000);
  return (
    <div className="scrub">
      <div className="scrub-track">
        <input
          type="range"
          className="scrub-range"
          aria-label={t("seek")}
          min={0}
          max={Math.max(duration, 0.1)}
          step={0.1}
          value={shown}
          style={{ "--played": `${played}%` } as CSSProperties}
          aria-valuetext={
            current
              ? `${t("position", { time: now, duration: total })}, ${t("chapter", { title: current.title })}`
              : t("position", { time: now, duration: total })
          }
          onChange={(e) => {
            const s = Number(e.target.value);
            onSeek(s);
            const width = e.currentTarget.getBoundingClientRect().width;
            setPreview({ time: s, fraction: duration ? s / duration : 0, width });
          }}
          onPointerMove={hover}
          onPointerLeave={() => setPreview(null)}
          onBlur={() => setPreview(null)}
        />
        {duration > 0 && chapters.length > 1 ? (
          <div className="scrub-chapters" aria-hidden="true">
            {chapters
              .slice(1)
              .map((chapter) =>
                chapter.startSeconds < duration ? (
                  <span
                    key={chapter.startSeconds}
                    className="scrub-chapter-mark"
                    data-testid="chapter-mark"
                    style={{ left: `${(chapter.startSeconds / duration) * 100}%` }}
                  />
                ) : null,
              )}
          </div>
        ) : null}
      </div>
      <span className="scrub-time" aria-hidden="true">
        {now} / {total}
      </span>
      {preview ? (
        <div
          className="scrub-preview"
          data-testid="storyboard-preview"
          style={{ left: `${left}px` }}
          aria-hidden="true"
        >
          {tile ? (
            <div
              className="scrub-tile"
              style={{ width: tile.w, height: tile.h, ...tileBackground(tile, tiles) }}
            />
          ) : null}
          <span>{formatDuration(preview.time * 1000)}</span>
          {chapters.length ? (
            <span className="scrub-chapter-name">{chapterAt(chapters, preview.time)?.title}</span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
