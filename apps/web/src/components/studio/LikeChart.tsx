import type { components } from "../../api/schema";

type Day = components["schemas"]["ReactionStats"]["days"][number];

const W = 640;
const H = 200;
const PAD = { top: 12, right: 8, bottom: 28, left: 36 };

/**
 * Likes, dislikes and net per UTC day as grouped bars around a zero line (net can be negative).
 * An SVG that scales to its container; each day carries its numbers as a <title> (tooltip, screen readers).
 */
export function LikeChart({ days }: { days: Day[] }) {
  const values = days.flatMap((d) => [d.likes, d.dislikes, d.net]);
  const max = Math.max(1, ...values);
  const min = Math.min(0, ...values);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + ((max - v) / (max - min)) * plotH;
  const slot = plotW / Math.max(1, days.length);
  const bar = Math.max(1, (slot * 0.8) / 3);
  const series = [
    { key: "likes", label: "Likes", className: "chart-likes" },
    { key: "dislikes", label: "Dislikes", className: "chart-dislikes" },
    { key: "net", label: "Net", className: "chart-net" },
  ] as const;
  const labelEvery = Math.ceil(days.length / 8);
  return (
    <figure className="studio-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Likes, dislikes and net per day over ${days.length} days`}
        data-testid="like-chart"
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="chart-axis" />
        <text x={PAD.left - 4} y={y(max) + 4} textAnchor="end" className="chart-label">
          {max}
        </text>
        <text x={PAD.left - 4} y={y(0) + 4} textAnchor="end" className="chart-label">
          0
        </text>
        {min < 0 ? (
          <text x={PAD.left - 4} y={y(min) + 4} textAnchor="end" className="chart-label">
            {min}
          </text>
        ) : null}
        {days.map((d, i) => {
          const x0 = PAD.left + i * slot + slot * 0.1;
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${d.likes} likes, ${d.dislikes} dislikes, net ${d.net}`}</title>
              {series.map((s, j) => {
                const v = d[s.key];
                return (
                  <rect
                    key={s.key}
                    className={s.className}
                    x={x0 + j * bar}
                    width={bar}
                    y={Math.min(y(v), y(0))}
                    height={Math.abs(y(v) - y(0))}
                  />
                );
              })}
              {i % labelEvery === 0 ? (
                <text x={x0} y={H - 8} className="chart-label">
                  {d.day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        {series.map((s) => (
          <span key={s.key}>
            <span className={`chart-swatch ${s.className}`} aria-hidden="true" /> {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
