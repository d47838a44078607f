import { ShieldAlert } from "lucide-react";
import type { ReactNode } from "react";
import { useProfiles } from "../../lib/profiles";
import { useSession } from "../../lib/session";
import { ButtonLink, EmptyState } from "../../ui";
import { SignInPrompt } from "../SignInPrompt";

/**
 * The studio pages that only a grown-up profile may open (earnings, strikes, analytics: the API
 * refuses a kids profile, `grownUp` in apps/edge/src/auth/permissions.ts): signed out, a sign-in
 * prompt; on a kids profile, say so without asking the API; otherwise the page. Strings come from
 * the page's own namespace.
 */
export function GrownUpGate({
  title,
  next,
  signInTo,
  kids,
  children,
}: {
  title: string;
  /** Where sign-in returns to. */
  next: string;
  signInTo: string;
  kids: { title: string; hint: string; home: string };
  children: ReactNode;
}) {
  const signedIn = useSession() !== null;
  const { active } = useProfiles();
  if (!signedIn) return <SignInPrompt className="studio" title={title} next={next} to={signInTo} />;
  if (active?.maturity === "kids")
    return (
      <section className="studio">
        <EmptyState
          icon={<ShieldAlert />}
          title={kids.title}
          description={kids.hint}
          action={<ButtonLink to="/">{kids.home}</ButtonLink>}
        />
      </section>
    );
  return children;
}
