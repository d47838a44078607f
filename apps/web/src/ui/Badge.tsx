import type { HTMLAttributes, ReactNode } from "react";
import "./badge.css";

export type Tone = "neutral" | "info" | "success" | "warning" | "danger";

type SpanProps = Omit<HTMLAttributes<HTMLSpanElement>, "children">;

type ToneLabelProps = SpanProps & { tone?: Tone; icon?: ReactNode; children: ReactNode };

/** The one body of Badge and StatusChip: a span in a tone, with an icon before the text. */
function ToneLabel({
  base,
  tone = "neutral",
  icon,
  children,
  className,
  ...rest
}: ToneLabelProps & { base: string }) {
  return (
    <span {...rest} className={[base, `ui-tone--${tone}`, className].filter(Boolean).join(" ")}>
      {icon}
      {children}
    </span>
  );
}

/** A small label beside something (a count, "Kids", "New"). */
export function Badge(props: ToneLabelProps) {
  return <ToneLabel base="ui-badge" {...props} />;
}

/** A state with a coloured dot (Ready, Processing, Failed, Held): the text says it, the colour helps. */
export function StatusChip({ icon, ...props }: ToneLabelProps) {
  return (
    <ToneLabel
      base="ui-status-chip"
      icon={icon ?? <span className="ui-status-dot" aria-hidden="true" />}
      {...props}
    />
  );
}
