import { ShieldAlert } from "lucide-react";
import type { ReactNode } from "react";
import { useProfiles } from "../../lib/profiles";
import { useSession } from "../../lib/session";
import { ButtonLink, EmptyState, ErrorState, PageLoading } from "../../ui";
import { useRoles } from "../ads/useRoles";
import { SignInPrompt } from "../SignInPrompt";
import { canModerate, isAdmin } from "./roles";

/** Who a staff page is for: the review queue (moderators and admins) or the admin pages (admins). */
export type StaffNeed = "moderate" | "admin";

/**
 * The staff pages' door, as the ads and payouts gates: signed out → sign in (and back here), a kids
 * profile or an account without the role → a plain refusal with the way home (the API refuses them
 * too: 403), else the page. Strings come from the page (its own namespace).
 */
export function StaffGate({
  need,
  title,
  next,
  text,
  children,
}: {
  need: StaffNeed;
  title: string;
  next: string;
  text: { signInTo: string; refused: string; refusedHint: string; home: string };
  children: ReactNode;
}) {
  const signedIn = useSession() !== null;
  const { active } = useProfiles();
  const { roles, error } = useRoles();
  if (!signedIn) return <SignInPrompt className="studio" title={title} next={next} to={text.signInTo} />;
  if (error) return <ErrorState error={error} />;
  if (!roles) return <PageLoading />;
  const allowed = need === "admin" ? isAdmin(roles) : canModerate(roles);
  if (!allowed || active?.maturity === "kids")
    return (
      <section className="studio">
        <EmptyState
          icon={<ShieldAlert />}
          title={text.refused}
          description={text.refusedHint}
          action={<ButtonLink to="/">{text.home}</ButtonLink>}
        />
      </section>
    );
  return <>{children}</>;
}
