import { Play } from "lucide-react";
import type { ReactNode } from "react";

/**
 * The frame of the sign-in family: the brand mark over a centred card (the card itself is
 * components/form/AuthForm's). The mark is decorative: the header already names the site.
 */
export function AuthPage({ children }: { children: ReactNode }) {
  return (
    <div className="auth-page">
      <span className="auth-brand-mark" aria-hidden="true">
        <Play />
      </span>
      {children}
    </div>
  );
}

/** The links under a sign-in form ("Forgot your password?", "Create an account"). */
export function AuthLinks({ children }: { children: ReactNode }) {
  return <div className="auth-links">{children}</div>;
}
