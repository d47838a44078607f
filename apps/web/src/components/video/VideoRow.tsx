import { ChevronLeft, ChevronRight } from "lucide-react";
import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { IconButton, Skeleton, SkeletonCard } from "../../ui";

/**
 * A titled horizontal row of cards: it scrolls sideways (snapping to cards), with previous/next
 * buttons on wide screens with a mouse. `children` are the cards, each wrapped in an <li> here.
 */
export function VideoRow({
  title,
  items,
  className,
  ...data
}: {
  title: ReactNode;
  items: { key: string; card: ReactNode }[];
  className?: string;
  [data: `data-${string}`]: string | undefined;
}) {
  const { t } = useTranslation("layout");
  const headingId = useId();
  const scroller = useRef<HTMLUListElement>(null);
  const [edges, setEdges] = useState({ start: true, end: true });

  const measure = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    // Rounding: a row scrolled to its end can stop a fraction of a pixel short.
    const start = el.scrollLeft <= 1;
    const end = el.scrollLeft + el.clientWidth >= el.scrollWidth - 1;
    // Called on every scroll event: a render only when an edge is reached or left.
    setEdges((prev) => (prev.start === start && prev.end === end ? prev : { start, end }));
  }, []);
  useEffect(() => {
    measure();
    const el = scroller.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [measure]);

  const page = (direction: 1 | -1) => {
    const el = scroller.current;
    if (!el) return;
    el.scrollBy({ left: direction * el.clientWidth * 0.9, behavior: "smooth" });
  };

  return (
    <section
      className={["video-row-section", className].filter(Boolean).join(" ")}
      aria-labelledby={headingId}
      {...data}
    >
      <div className="video-row-head">
        <h2 id={headingId}>{title}</h2>
        <div className="video-row-nav">
          <IconButton
            label={t("row.previous")}
            icon={<ChevronLeft />}
            size="sm"
            variant="secondary"
            tooltip={false}
            disabled={edges.start}
            onClick={() => page(-1)}
          />
          <IconButton
            label={t("row.next")}
            icon={<ChevronRight />}
            size="sm"
            variant="secondary"
            tooltip={false}
            disabled={edges.end}
            onClick={() => page(1)}
          />
        </div>
      </div>
      <ul className="card-row" ref={scroller} onScroll={measure}>
        {items.map((item) => (
          <li key={item.key}>{item.card}</li>
        ))}
      </ul>
    </section>
  );
}

/** A row on its way: its title's place and a few card shapes. */
export function SkeletonRow() {
  return (
    <div className="video-row-section" aria-hidden="true">
      <div className="video-row-head">
        <Skeleton width="12rem" height="1.5rem" />
      </div>
      <div className="card-row">
        {Array.from({ length: 5 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholders
          <SkeletonCard key={i} />
        ))}
      </div>
    </div>
  );
}
