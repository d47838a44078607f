import { Progress as RadixProgress } from "radix-ui";
import type { HTMLAttributes, ReactNode } from "react";
import type { Tone } from "./Badge";
import "./progress.css";

/**
 * A progress bar with its accessible `label` and, when shown, the value as text beside it.
 * `value` null means unknown (indeterminate). Other props (data-testid, data-percent) go on the
 * wrapper: `<Progress label={t("uploadProgress")} value={42} valueText="42 %" data-testid="…" />`.
 */
export function Progress({
  label,
  value,
  max = 100,
  valueText,
  showLabel = false,
  tone = "info",
  size = "md",
  className,
  children,
  ...rest
}: Omit<HTMLAttributes<HTMLDivElement>, "children"> & {
  label: string;
  value: number | null;
  max?: number;
  /** What the value says ("42%", "3 of 5 parts"): shown beside the bar and read out as its value. */
  valueText?: string;
  /** Show `label` above the bar, too. */
  showLabel?: boolean;
  tone?: Tone | "accent";
  size?: "sm" | "md";
  /** More text under the bar (bytes sent, parts). */
  children?: ReactNode;
}) {
  const clamped = value == null ? null : Math.min(max, Math.max(0, value));
  const percent = clamped == null || max <= 0 ? 0 : (clamped / max) * 100;
  return (
    <div
      {...rest}
      className={["ui-progress", `ui-progress--${size}`, `ui-progress--${tone}`, className]
        .filter(Boolean)
        .join(" ")}
    >
      {showLabel || valueText ? (
        <div className="ui-progress-text">
          {showLabel ? <span className="ui-progress-label">{label}</span> : null}
          {valueText ? <span className="ui-progress-value">{valueText}</span> : null}
        </div>
      ) : null}
      <RadixProgress.Root
        className="ui-progress-track"
        value={clamped}
        max={max}
        aria-label={label}
        getValueLabel={valueText ? () => valueText : undefined}
      >
        <RadixProgress.Indicator
          className="ui-progress-indicator"
          style={{ transform: `translateX(-${100 - percent}%)` }}
        />
      </RadixProgress.Root>
      {children}
    </div>
  );
}
