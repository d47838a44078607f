import { useState } from "react";
import type { Level } from "../../lib/player/useHls";

/** Auto (showing the height playing) or one rendition pinned. */
export function QualityMenu({
  levels,
  playingHeight,
  onChoose,
}: {
  levels: Level[];
  playingHeight: number | null;
  onChoose: (index: number) => void;
}) {
  const [choice, setChoice] = useState(-1);
  const highestFirst = [...levels].sort((a, b) => b.height - a.height);
  return (
    <label className="quality">
      Quality
      <select
        aria-label="Quality"
        data-testid="quality-menu"
        value={choice}
        onChange={(e) => {
          const index = Number(e.target.value);
          setChoice(index);
          onChoose(index);
        }}
        disabled={levels.length === 0}
      >
        <option value={-1}>Auto</option>
        {highestFirst.map((l) => (
          <option key={l.index} value={l.index}>
            {l.height}p
          </option>
        ))}
      </select>
      {choice === -1 && playingHeight ? <span className="muted">({playingHeight}p)</span> : null}
    </label>
  );
}
