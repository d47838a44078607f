import { ShieldAlert } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useProfiles } from "../../lib/profiles";
import { useSession } from "../../lib/session";
import { ButtonLink, EmptyState, ErrorState, PageLoading } from "../../ui";
import { SignInPrompt } from "../SignInPrompt";
import { canAdvertise, canReviewAds, useRoles } from "./useRoles";

/**
 * The ads pages' door: signed out → sign in (and back here), a kids profile or an account without
 * the role → a plain refusal with the way home (the API refuses them too: 403), else the page.
 */
export function RoleGate({
  need,
  title,
  next,
  children,
}: {
  need: "advertise" | "review";
  title: string;
  next: string;
  children: ReactNode;
}) {
  const { t } = useTranslation("ads");
  const signedIn = useSession() !== null;
  const { active } = useProfiles();
  const { roles, error } = useRoles();
  if (!signedIn) return <SignInPrompt className="studio" title={title} next={next} to={t("gate.signInTo")} />;
  if (error) return <ErrorState error={error} />;
  if (!roles) return <PageLoading />;
  const allowed = need === "advertise" ? canAdvertise(roles) : canReviewAds(roles);
  if (!allowed || active?.maturity === "kids")
    return (
      <section className="studio">
        <EmptyState
          icon={<ShieldAlert />}
          title={need === "advertise" ? t("gate.notAdvertiser") : t("gate.notModerator")}
          description={t("gate.description")}
          action={<ButtonLink to="/">{t("gate.home")}</ButtonLink>}
        />
      </section>
    );
  return <>{children}</>;
}
