import { Pencil, Plus } from "lucide-react";
import type { ComponentProps } from "react";
import { useTranslation } from "react-i18next";
import type { Profile } from "../../api/types";
import { Avatar, Badge } from "../../ui";

/**
 * One profile in the "Who's watching?" grid: a big avatar and the name, as one button (its name
 * is the profile's, so "switch to Little one" is a button named "Little one…"). While managing,
 * the same tile opens the profile's editor instead.
 */
export function ProfileTile({
  profile,
  active,
  managing,
  onChoose,
  busy,
}: {
  profile: Profile;
  active: boolean;
  managing: boolean;
  onChoose: () => void;
  busy?: boolean;
}) {
  const { t } = useTranslation(["profiles", "common"]);
  return (
    <button
      type="button"
      className="profile-tile"
      data-testid="profile-tile"
      data-maturity={profile.maturity}
      aria-current={active ? "true" : undefined}
      aria-busy={busy || undefined}
      aria-label={managing ? t("edit", { name: profile.name }) : undefined}
      onClick={onChoose}
    >
      <span className="profile-tile-picture">
        <Avatar id={profile.id} name={profile.name} size="xl" />
        {managing ? (
          <span className="profile-tile-edit" aria-hidden="true">
            <Pencil />
          </span>
        ) : null}
      </span>
      <span className="profile-tile-name">{profile.name}</span>
      <span className="profile-tile-badges">
        {profile.maturity !== "adult" ? (
          <Badge tone={profile.maturity === "kids" ? "warning" : "info"}>
            {t(`common:maturity.${profile.maturity}`)}
          </Badge>
        ) : null}
        {active ? <Badge tone="success">{t("watchingNow")}</Badge> : null}
      </span>
    </button>
  );
}

/** The last tile of the grid: "Add profile" (opens the new-profile dialog). */
export function AddProfileTile(props: ComponentProps<"button">) {
  const { t } = useTranslation(["profiles", "common"]);
  return (
    <button type="button" {...props} className="profile-tile profile-tile--add">
      <span className="profile-tile-picture" aria-hidden="true">
        <Plus />
      </span>
      <span className="profile-tile-name">{t("add.button")}</span>
    </button>
  );
}
