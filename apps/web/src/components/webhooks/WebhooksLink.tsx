import { Webhook } from "lucide-react";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { ButtonLink } from "../../ui";

/**
 * The studio's way to the channel's webhooks (/studio/webhooks). Its one string is in the
 * `webhooks` namespace, loaded under its own Suspense: the studio never waits for it.
 */
export function WebhooksLink() {
  return (
    <Suspense fallback={null}>
      <WebhooksLinkButton />
    </Suspense>
  );
}

function WebhooksLinkButton() {
  const { t } = useTranslation("webhooks");
  return (
    <ButtonLink icon={<Webhook />} to="/studio/webhooks" data-testid="nav-webhooks">
      {t("nav.webhooks")}
    </ButtonLink>
  );
}
