import type { ReactNode } from "react";
import { Link } from "react-router";

/**
 * "Sign in to …" for a page that needs an account, coming back to `next` afterwards. With a
 * `title`, it is the whole page: a section (of `className`) with that heading.
 */
export function SignInPrompt({
  next,
  to,
  title,
  className,
}: {
  next?: string;
  to: ReactNode;
  title?: string;
  className?: string;
}) {
  const prompt = (
    <p>
      <Link to={next ? `/signin?next=${next}` : "/signin"}>Sign in</Link> {to}
    </p>
  );
  if (!title) return prompt;
  return (
    <section className={className}>
      <h1>{title}</h1>
      {prompt}
    </section>
  );
}
