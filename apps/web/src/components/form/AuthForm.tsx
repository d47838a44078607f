import type { ReactNode } from "react";
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
 * the fields and submit button, and links under it. `outcome` replaces the form once it has done
 * its work (or when the page cannot be used, e.g. a link without its token).
 */
export function AuthForm({
  title,
  intro,
  footer,
  outcome,
  ...form
}: FormProps & { title: string; intro?: ReactNode; footer?: ReactNode; outcome?: ReactNode }) {
  return (
    <AuthCard title={title}>
      {outcome ?? (
        <>
          {intro}
          <Form {...form} />
          {footer}
        </>
      )}
    </AuthCard>
  );
}
