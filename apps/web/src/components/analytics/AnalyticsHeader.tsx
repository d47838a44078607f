import type { ReactNode } from "react";

/** An analytics page's head: its h1 (`analytics-title`), what it shows, and the range picker. */
export function AnalyticsHeader({
  title,
  subtitle,
  before,
  children,
}: {
  title: string;
  subtitle: ReactNode;
  /** Above the heading (the way back). */
  before?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <header className="studio-head analytics-head">
      <div>
        {before}
        <h1 id="analytics-title">{title}</h1>
        <p className="muted">{subtitle}</p>
      </div>
      {children}
    </header>
  );
}
