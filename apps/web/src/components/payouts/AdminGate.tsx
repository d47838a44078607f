import { ShieldAlert } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useProfiles } from "../../lib/profiles";
import { useSession } from "../../lib/session";
import { ButtonLink, EmptyState, ErrorState, PageLoading } from "../../ui";
import { useRoles } from "../ads/useRoles";
import { SignInPrompt } from "../SignInPrompt";

/**
 * The admin payouts page's door, as the ads pages' RoleGate: signed out → sign in (and back here),
 * a kids profile or an account that is not an admin → a plain refusal with the way home (the API
 * refuses them too: 403), else the page.
 */
export function AdminGate({ title, next, children }: { title: string; next: string; children: ReactNode }) {
  const { t } = useTranslation("payouts");
  const signedIn = useSession() !== null;
  const { active } = useProfiles();
  const { roles, error } = useRoles();
  if (!signedIn)
    return <SignInPrompt className="studio" title={title} next={next} to={t("admin.signInTo")} />;
  if (error) return <ErrorState error={error} />;
  if (!roles) return <PageLoading />;
  if (!roles.includes("admin") || active?.maturity === "kids")
    return (
      <section className="studio">
        <EmptyState
          icon={<ShieldAlert />}
          title={t("gate.notAdmin")}
          description={t("gate.notAdminHint")}
          action={<ButtonLink to="/">{t("gate.home")}</ButtonLink>}
        />
      </section>
    );
  return <>{children}</>;
}
