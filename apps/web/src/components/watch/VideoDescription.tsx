import { ChevronDown, ChevronUp } from "lucide-react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Video } from "../../api/types";
import { useFormat } from "../../lib/format";
import { Button } from "../../ui";

/** Long enough to fold: more than about three lines on a phone. */
const FOLD_CHARS = 180;
const FOLD_LINES = 3;

/** Views, date, tags and the description, folded to a few lines until "Show more". */
export function VideoDescription({ video }: { video: Video }) {
  const { t } = useTranslation(["watch", "common"]);
  const f = useFormat();
  const id = useId();
  const [open, setOpen] = useState(false);
  const text = video.description.trim();
  const foldable = text.length > FOLD_CHARS || text.split("\n").length > FOLD_LINES;
  return (
    <section className="watch-description" aria-label={t("description.label")}>
      <p className="watch-description-meta">
        <span>{t("common:count.views", { count: video.viewCount })}</span>
        {video.publishedAt ? <span>{f.timeAgo(video.publishedAt)}</span> : null}
      </p>
      {video.tags.length ? (
        <ul className="watch-tags">
          {video.tags.map((tag) => (
            <li key={tag}>#{tag}</li>
          ))}
        </ul>
      ) : null}
      {text ? (
        <p
          id={id}
          className={foldable && !open ? "watch-description-text is-folded" : "watch-description-text"}
        >
          {text}
        </p>
      ) : (
        <p className="watch-description-text muted">{t("description.none")}</p>
      )}
      {foldable ? (
        <Button
          variant="ghost"
          size="sm"
          aria-expanded={open}
          aria-controls={id}
          icon={open ? <ChevronUp /> : <ChevronDown />}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? t("description.less") : t("description.more")}
        </Button>
      ) : null}
    </section>
  );
}
