import { House, MapPinOff } from "lucide-react";
import { Trans, useTranslation } from "react-i18next";
import { useLocation } from "react-router";
import { ButtonLink, EmptyState } from "../ui";

/** Any unknown path. */
export function NotFoundPage() {
  const { t } = useTranslation("layout");
  const { pathname } = useLocation();
  return (
    <section className="not-found">
      <h1 className="visually-hidden">{t("notFound.title")}</h1>
      <EmptyState
        icon={<MapPinOff />}
        title={t("notFound.heading")}
        description={
          <Trans
            t={t}
            i18nKey="notFound.description"
            values={{ path: pathname }}
            components={{ 1: <code /> }}
          />
        }
        action={
          <ButtonLink to="/" variant="primary" icon={<House />}>
            {t("notFound.home")}
          </ButtonLink>
        }
      />
    </section>
  );
}
