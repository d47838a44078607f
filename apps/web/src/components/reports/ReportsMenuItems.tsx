import { Flag, ShieldAlert } from "lucide-react";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { useProfiles } from "../../lib/profiles";
import { MenuLinkItem } from "../../ui";
import { useRoles } from "../ads/useRoles";

/**
 * The account menu's trust-and-safety links: "My reports" for every signed-in profile, and
 * "Strikes & appeals" for a creator's grown-up profiles (kids profiles do not run the channel).
 * Its strings load under their own Suspense: the menu never waits for them.
 */
export function ReportsMenuItems({ enabled }: { enabled: boolean }) {
  const { roles } = useRoles();
  const { active } = useProfiles();
  if (!enabled) return null;
  const creator = Boolean(roles?.includes("creator")) && active?.maturity !== "kids";
  return (
    <Suspense fallback={null}>
      <ReportsMenuLinks creator={creator} />
    </Suspense>
  );
}

function ReportsMenuLinks({ creator }: { creator: boolean }) {
  const { t } = useTranslation("reports");
  return (
    <>
      <MenuLinkItem to="/me/reports" icon={<Flag aria-hidden="true" />}>
        {t("nav.myReports")}
      </MenuLinkItem>
      {creator ? (
        <MenuLinkItem to="/studio/strikes" icon={<ShieldAlert aria-hidden="true" />}>
          {t("nav.strikes")}
        </MenuLinkItem>
      ) : null}
    </>
  );
}
