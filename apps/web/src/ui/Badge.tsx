import type { HTMLAttributes, ReactNode } from "react";
import "./badge.css";

export type Tone = "neutral" | "info" | "success" | "warning" | "danger";

type SpanProps = Omit<HTMLAttributes<HTMLSpanElement>, "children">;

/** A small label beside something (a count, "Kids", "New"). */
export function Badge({
  tone = "neutral",
  icon,
  children,
  className,
  ...rest
}: SpanProps & { tone?: Tone; icon?: ReactNode; children: ReactNode }) {
  return (
    <span {...rest} className={["ui-badge", `ui-tone--${tone}`, className].filter(Boolean).join(" ")}>
      {icon}
      {children}
    </span>
  );
}

/** A state with a coloured dot (Ready, Processing, Failed, Held): the text says it, the colour helps. */
export function StatusChip({
  tone = "neutral",
  icon,
  children,
  className,
  ...rest
}: SpanProps & { tone?: Tone; icon?: ReactNode; children: ReactNode }) {
  return (
    <span {...rest} className={["ui-status-chip", `ui-tone--${tone}`, className].filter(Boolean).join(" ")}>
      {icon ?? <span className="ui-status-dot" aria-hidden="true" />}
      {children}
    </span>
  );
}
