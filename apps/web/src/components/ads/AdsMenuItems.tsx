import { Megaphone, ShieldCheck } from "lucide-react";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { MenuLinkItem } from "../../ui";
import { useAdsLinks } from "./AdsNav";

/** The same links in the account menu (the way there on small screens, where the header has no room). */
export function AdsMenuItems({ enabled }: { enabled: boolean }) {
  const links = useAdsLinks(enabled);
  if (!links.campaigns && !links.reviews) return null;
  return (
    <Suspense fallback={null}>
      <AdsMenuLinks {...links} />
    </Suspense>
  );
}

function AdsMenuLinks({ campaigns, reviews }: { campaigns: boolean; reviews: boolean }) {
  const { t } = useTranslation("ads");
  return (
    <>
      {campaigns ? (
        <MenuLinkItem to="/ads" icon={<Megaphone aria-hidden="true" />}>
          {t("nav.campaigns")}
        </MenuLinkItem>
      ) : null}
      {reviews ? (
        <MenuLinkItem to="/moderation/ads" icon={<ShieldCheck aria-hidden="true" />}>
          {t("nav.reviews")}
        </MenuLinkItem>
      ) : null}
    </>
  );
}
