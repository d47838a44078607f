import { type PointerEvent, useState } from "react";
import { formatDuration } from "../../lib/format";
import { type StoryboardTile, tileAt } from "../../lib/storyboard";

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
  const [preview, setPreview] = useState<{ time: number; left: number } | null>(null);

  function hover(e: PointerEvent<HTMLInputElement>) {
    const rect = e.currentTarget.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width));
    setPreview({ time: fraction * duration, left: fraction * 100 });
  }

  const tile = preview && tiles.length ? tileAt(tiles, preview.time) : null;
  return (
    <div className="scrub">
      <input
        type="range"
        aria-label="Seek"
        min={0}
        max={Math.max(duration, 0.1)}
        step={0.1}
        value={Math.min(time, duration || time)}
        aria-valuetext={`${formatDuration(time * 1000)} of ${formatDuration(duration * 1000)}`}
        onChange={(e) => {
          const t = Number(e.target.value);
          onSeek(t);
          setPreview({ time: t, left: duration ? (t / duration) * 100 : 0 });
        }}
        onPointerMove={hover}
        onPointerLeave={() => setPreview(null)}
        onBlur={() => setPreview(null)}
      />
      {preview ? (
        <div
          className="scrub-preview"
          data-testid="storyboard-preview"
          style={{ left: `${preview.left}%` }}
          aria-hidden="true"
        >
          {tile ? (
            <div
              className="scrub-tile"
              style={{
                width: tile.w,
                height: tile.h,
                backgroundImage: `url("${tile.url}")`,
                backgroundPosition: `-${tile.x}px -${tile.y}px`,
              }}
            />
          ) : null}
          <span>{formatDuration(preview.time * 1000)}</span>
        </div>
      ) : null}
    </div>
  );
}
