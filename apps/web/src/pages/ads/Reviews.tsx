import { useTranslation } from "react-i18next";
import { ReviewCard } from "../../components/ads/ReviewCard";
import { RoleGate } from "../../components/ads/RoleGate";
import { ListFooter } from "../../components/ListFooter";
import { adsApi } from "../../lib/ads";
import { usePagedList } from "../../lib/usePagedList";
import { SkeletonText, toast } from "../../ui";
import "../../studio.css";
import "../../components/ads/ads.css";

/** /moderation/ads: campaigns in review, oldest first (GET /api/v1/moderation/ad-reviews). */
export function AdReviewsPage() {
  const { t } = useTranslation("ads");
  return (
    <RoleGate need="review" title={t("review.title")} next="/moderation/ads">
      <ReviewList />
    </RoleGate>
  );
}

function ReviewList() {
  const { t } = useTranslation("ads");
  const reviews = usePagedList((cursor) => adsApi.reviews(cursor), [], { idOf: (r) => r.id });
  const empty = reviews.items.length === 0;
  return (
    <section className="studio" aria-labelledby="reviews-title">
      <header className="studio-head">
        <div>
          <h1 id="reviews-title">{t("review.title")}</h1>
          <p className="muted">{t("review.subtitle")}</p>
        </div>
      </header>
      {empty && reviews.loading ? <SkeletonText lines={4} /> : null}
      <div className="stack">
        {reviews.items.map((r) => (
          <ReviewCard
            key={r.id}
            review={r}
            onDecided={(c) => {
              reviews.setItems((items) => items.filter((i) => i.id !== r.id));
              toast({
                title:
                  c.status === "active"
                    ? t("review.approved", { name: c.name })
                    : t("review.rejected", { name: c.name }),
                tone: c.status === "active" ? "success" : "info",
              });
            }}
          />
        ))}
      </div>
      <ListFooter
        list={reviews}
        empty={t("review.empty")}
        emptyHint={t("review.emptyHint")}
        more={t("list.more")}
      />
    </section>
  );
}
