import { FileClock, Flag, Gavel, Settings2, UsersRound } from "lucide-react";
import { useTranslation } from "react-i18next";
import { MenuLinkItem } from "../../ui";
import { QualityMenuLink } from "../analytics/AnalyticsLinks";

/** The staff links themselves (loaded by ModerationMenuItems for moderators and admins only). */
export function StaffLinks({ admin }: { admin: boolean }) {
  const { t } = useTranslation("moderation");
  return (
    <>
      <MenuLinkItem to="/moderation" icon={<Flag aria-hidden="true" />}>
        {t("menu.queue")}
      </MenuLinkItem>
      <MenuLinkItem to="/moderation/appeals" icon={<Gavel aria-hidden="true" />}>
        {t("menu.appeals")}
      </MenuLinkItem>
      {admin ? (
        <>
          <MenuLinkItem to="/admin/users" icon={<UsersRound aria-hidden="true" />}>
            {t("menu.users")}
          </MenuLinkItem>
          <MenuLinkItem to="/admin/audit" icon={<FileClock aria-hidden="true" />}>
            {t("menu.audit")}
          </MenuLinkItem>
          <MenuLinkItem to="/admin/config" icon={<Settings2 aria-hidden="true" />}>
            {t("menu.config")}
          </MenuLinkItem>
          <QualityMenuLink />
        </>
      ) : null}
    </>
  );
}
