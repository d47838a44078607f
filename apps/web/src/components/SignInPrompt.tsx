import { LogIn } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ButtonLink } from "../ui";

/**
 * "Sign in to …" for something that needs an account, coming back to `next` afterwards. With
 * `message` (a whole sentence, translated) it is that sentence and a Sign in button; with `to`, the
 * link "Sign in" followed by `to`. With a `title`, it is the whole page: a section (of `className`)
 * with that heading.
 */
export function SignInPrompt({
  next,
  to,
  message,
  title,
  className,
}: {
  next?: string;
  to?: ReactNode;
  message?: ReactNode;
  title?: string;
  className?: string;
}) {
  const { t } = useTranslation("watch");
  const href = next ? `/signin?next=${encodeURIComponent(next)}` : "/signin";
  const prompt = message ? (
    <div className="sign-in-prompt">
      <p>{message}</p>
      <ButtonLink to={href} variant="primary" icon={<LogIn />}>
        {t("signIn.link")}
      </ButtonLink>
    </div>
  ) : (
    <p>
      <Link to={href}>{t("signIn.link")}</Link> {to}
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
