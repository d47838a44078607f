import { useTranslation } from "react-i18next";
import "./skeleton.css";

/** A grey shape where content will be. Width/height are CSS lengths (default: full width, 1em). */
export function Skeleton({
  width,
  height,
  radius,
  className,
}: {
  width?: string;
  height?: string;
  radius?: "sm" | "md" | "lg" | "full";
  className?: string;
}) {
  return (
    <span
      aria-hidden="true"
      className={["ui-skeleton", radius ? `ui-skeleton--${radius}` : "", className].filter(Boolean).join(" ")}
      style={width || height ? { width, height } : undefined}
    />
  );
}

/** Lines of text on their way (the last one shorter). */
export function SkeletonText({ lines = 3 }: { lines?: number }) {
  return (
    <span className="ui-skeleton-text" aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholders
        <Skeleton key={i} width={i === lines - 1 && lines > 1 ? "60%" : undefined} />
      ))}
    </span>
  );
}

/** A video card on its way: the 16:9 thumbnail, the channel avatar and two lines. */
export function SkeletonCard() {
  return (
    <div className="ui-skeleton-card" aria-hidden="true">
      <Skeleton className="ui-skeleton-thumb" radius="lg" />
      <div className="ui-skeleton-card-meta">
        <Skeleton width="2.25rem" height="2.25rem" radius="full" />
        <SkeletonText lines={2} />
      </div>
    </div>
  );
}

/** A grid of video cards on its way, announced once as "Loading…". */
export function SkeletonGrid({ count = 8, label }: { count?: number; label?: string }) {
  const { t } = useTranslation("common");
  return (
    <div role="status" className="ui-skeleton-grid">
      <span className="visually-hidden">{label ?? t("status.loading")}</span>
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholders
        <SkeletonCard key={i} />
      ))}
    </div>
  );
}
