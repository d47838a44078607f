import { type CSSProperties, type PointerEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDuration } from "../../lib/format";
import { type StoryboardTile, tileAt, tileBackground } from "../../lib/storyboard";

/** The seek bar, with the storyboard frame and time under the pointer (or the keyboard's position). */
export function Scrubber({
  time,
  duration,
  tiles,
  onSeek,
}: {
  time: number;
  duration: number;
  tiles: StoryboardTile[];
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
  const total = formatDuration(duration * 1000);
  return (
    <div className="scrub">
      <input
        type="range"
        className="scrub-range"
        aria-label={t("seek")}
        min={0}
        max={Math.max(duration, 0.1)}
        step={0.1}
        value={shown}
        style={{ "--played": `${played}%` } as CSSProperties}
        aria-valuetext={t("position", { time: now, duration: total })}
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
        </div>
      ) : null}
    </div>
  );
}
