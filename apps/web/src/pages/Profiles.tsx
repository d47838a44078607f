import { LogIn, UserPlus } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import type { Profile } from "../api/types";
import { ProblemMessage } from "../components/ProblemMessage";
import { AddProfileDialog } from "../components/profiles/AddProfileDialog";
import { EditProfileDialog } from "../components/profiles/EditProfileDialog";
import { ProfileTile } from "../components/profiles/ProfileTile";
import { refreshProfiles, switchProfile, useProfiles } from "../lib/profiles";
import { useSession } from "../lib/session";
import { useAction } from "../lib/useAction";
import { Button, ButtonLink, EmptyState, ErrorState, Skeleton } from "../ui";
import { safeNext } from "./SignIn";

const MAX_PROFILES = 5;

/** The profile picker after sign-in ("Who's watching?"), and managing profiles. */
export function ProfilesPage() {
  const { t } = useTranslation("profiles");
  const s = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next")) ?? "/";
  const { items, error: loadError, active } = useProfiles();
  const [managing, setManaging] = useState(false);
  const [editing, setEditing] = useState<Profile | null>(null);
  const choose = useAction(async (profile: Profile) => {
    await switchProfile(profile.id);
    navigate(next);
  });

  if (!s)
    return (
      <EmptyState
        icon={<LogIn />}
        title={t("signedOut.title")}
        description={t("signedOut.description")}
        action={
          <ButtonLink to="/signin?next=/profiles" variant="primary">
            {t("signedOut.action")}
          </ButtonLink>
        }
      />
    );

  if (items === null && loadError)
    return <ErrorState error={loadError} onRetry={() => void refreshProfiles()} />;

  // A kids profile can switch but not manage profiles (the API refuses).
  const canManage = active?.maturity !== "kids";
  const canAdd = canManage && (items?.length ?? 0) < MAX_PROFILES;
  return (
    <section className="profiles" aria-labelledby="profiles-title">
      <h1 id="profiles-title">{managing ? t("manageTitle") : t("whoIsWatching")}</h1>
      {managing ? <p className="muted profiles-intro">{t("manageIntro")}</p> : null}
      <ProblemMessage error={choose.error} />
      {items === null ? (
        <ProfileGridSkeleton />
      ) : (
        <ul className="profile-grid" aria-label={t("listLabel")}>
          {items.map((p) => (
            <li key={p.id}>
              <ProfileTile
                profile={p}
                active={p.id === s.profileId}
                managing={managing}
                busy={choose.busy}
                onChoose={() => (managing ? setEditing(p) : void choose.run(p))}
              />
            </li>
          ))}
          {canAdd ? (
            <li>
              <AddProfileDialog />
            </li>
          ) : null}
        </ul>
      )}
      {items?.length === 0 ? (
        <EmptyState
          icon={<UserPlus />}
          title={t("empty.title")}
          description={t("empty.description")}
          compact
        />
      ) : null}
      <div className="profiles-footer">
        {canManage ? (
          <Button variant={managing ? "primary" : "secondary"} onClick={() => setManaging((m) => !m)}>
            {managing ? t("done") : t("manage")}
          </Button>
        ) : (
          <p className="muted">{t("kidsCannotManage")}</p>
        )}
        {canManage && !canAdd && items ? (
          <p className="muted">{t("limit", { count: MAX_PROFILES })}</p>
        ) : null}
      </div>
      <EditProfileDialog
        profile={editing}
        canDelete={(items?.length ?? 0) > 1}
        onClose={() => setEditing(null)}
      />
    </section>
  );
}

function ProfileGridSkeleton() {
  const { t } = useTranslation("profiles");
  return (
    <div className="profile-grid" role="status" aria-label={t("loading")}>
      {[0, 1, 2].map((i) => (
        <div key={i} className="profile-tile profile-tile--skeleton">
          <Skeleton width="6rem" height="6rem" radius="full" />
          <Skeleton width="5rem" height="1rem" />
        </div>
      ))}
    </div>
  );
}
