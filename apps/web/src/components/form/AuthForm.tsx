import { type ReactNode, useState } from "react";
import { useNavigate } from "react-router";
import { refreshProfiles } from "../../lib/profiles";
import { session } from "../../lib/session";
import { Form, type FormProps } from "./Form";

/** The card every sign-in-and-account page sits in: a heading and what goes under it. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="auth-card">
      <h1>{title}</h1>
      {children}
    </section>
  );
}

/**
 * The one form of the sign-in pages (sign in, sign up, reset, undo, verify): the card, an intro,
 * the fields and submit button, and links under it. `success` replaces the form (as a status) once
 * its work is done; `outcome` replaces it when the page cannot be used (a link without its token).
 */
export function AuthForm({
  title,
  intro,
  footer,
  outcome,
  success,
  onSubmit,
  ...form
}: FormProps & {
  title: string;
  intro?: ReactNode;
  footer?: ReactNode;
  outcome?: ReactNode;
  success?: ReactNode;
}) {
  const [done, setDone] = useState(false);
  const submit = async () => {
    const result = await onSubmit();
    setDone(true);
    return result;
  };
  return (
    <AuthCard title={title}>
      {done && success ? (
        <p role="status">{success}</p>
      ) : (
        (outcome ?? (
          <>
            {intro}
            <Form {...form} onSubmit={submit} />
            {footer}
          </>
        ))
      )}
    </AuthCard>
  );
}

/**
 * Starts the session the API just answered (sign in, sign up), loads its profiles in the
 * background and goes on to `to`.
 */
export function useStartSession() {
  const navigate = useNavigate();
  return (tokens: Parameters<typeof session.signIn>[0], to: string) => {
    session.signIn(tokens);
    void refreshProfiles();
    navigate(to);
  };
}
