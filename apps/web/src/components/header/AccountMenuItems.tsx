import { CreditCard, History, ListVideo, LogOut, UserRound, Users } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useProfiles } from "../../lib/profiles";
import { useSession } from "../../lib/session";
import {
  Avatar,
  Badge,
  MenuItem,
  MenuLabel,
  MenuLinkItem,
  MenuRadioGroup,
  MenuRadioItem,
  MenuSeparator,
} from "../../ui";
import { AdsMenuItems } from "../ads/AdsMenuItems";
import { ModerationMenuItems } from "../moderation/ModerationMenuItems";
import { ReportsMenuItems } from "../reports/ReportsMenuItems";

/** The account menu's entries: switch profile, profiles, history, playlists, account, billing, sign out. */
export function AccountMenuItems({
  onChoose,
  onSignOut,
}: {
  onChoose: (profileId: string) => void;
  onSignOut: () => void;
}) {
  const { t } = useTranslation(["layout", "common"]);
  const s = useSession();
  const { items, active } = useProfiles();
  const kids = t("common:maturity.kids");
  return (
    <>
      <MenuLabel>{t("account.switchProfile")}</MenuLabel>
      <MenuRadioGroup value={s?.profileId ?? ""} onValueChange={onChoose}>
        {(items ?? []).map((p) => (
          <MenuRadioItem key={p.id} value={p.id} icon={<Avatar id={p.id} name={p.name} size="xs" />}>
            {p.name}
            {p.maturity === "kids" ? (
              <Badge tone="success" className="account-kids">
                {kids}
              </Badge>
            ) : null}
          </MenuRadioItem>
        ))}
      </MenuRadioGroup>
      <MenuSeparator />
      <MenuLinkItem to="/profiles" icon={<Users aria-hidden="true" />}>
        {t("account.manageProfiles")}
      </MenuLinkItem>
      <MenuLinkItem to="/history" icon={<History aria-hidden="true" />}>
        {t("account.history")}
      </MenuLinkItem>
      <MenuLinkItem to="/playlists" icon={<ListVideo aria-hidden="true" />}>
        {t("account.playlists")}
      </MenuLinkItem>
      <MenuLinkItem to="/account" icon={<UserRound aria-hidden="true" />}>
        {t("account.account")}
      </MenuLinkItem>
      <MenuLinkItem to="/account/billing" icon={<CreditCard aria-hidden="true" />}>
        {t("account.billing")}
      </MenuLinkItem>
      {/* Advertisers' campaigns and moderators' ad reviews (the way there on small screens). */}
      <AdsMenuItems enabled={Boolean(s) && active?.maturity !== "kids"} />
      <ReportsMenuItems enabled={Boolean(s)} />
      <ModerationMenuItems enabled={Boolean(s) && active?.maturity !== "kids"} />
      <MenuSeparator />
      <MenuItem icon={<LogOut aria-hidden="true" />} onSelect={onSignOut}>
        {t("account.signOut")}
      </MenuItem>
    </>
  );
}
