import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import { canAdvertise, canReviewAds, useRoles } from "./useRoles";

/** Which ads links an account gets: its campaigns (advertiser, admin), the review queue (moderator, admin). */
export function useAdsLinks(enabled: boolean) {
  const { roles } = useRoles();
  if (!enabled || !roles) return { campaigns: false, reviews: false };
  return { campaigns: canAdvertise(roles), reviews: canReviewAds(roles) };
}

/**
 * The header's ads links, on wide screens: "Ads" and "Ad reviews" for the accounts that have them.
 * Its strings (the `ads` namespace) load only for those accounts, under its own Suspense: the
 * header never waits for them.
 */
export function AdsNav({ enabled }: { enabled: boolean }) {
  const links = useAdsLinks(enabled);
  if (!links.campaigns && !links.reviews) return null;
  return (
    <Suspense fallback={null}>
      <AdsNavLinks {...links} />
    </Suspense>
  );
}

function AdsNavLinks({ campaigns, reviews }: { campaigns: boolean; reviews: boolean }) {
  const { t } = useTranslation("ads");
  return (
    <>
      {campaigns ? (
        <NavLink to="/ads" className="site-nav-link site-wide-only" data-testid="nav-ads">
          {t("nav.campaigns")}
        </NavLink>
      ) : null}
      {reviews ? (
        <NavLink to="/moderation/ads" className="site-nav-link site-wide-only" data-testid="nav-ad-reviews">
          {t("nav.reviews")}
        </NavLink>
      ) : null}
    </>
  );
}
