import { Wallet } from "lucide-react";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { ButtonLink } from "../../ui";

/**
 * The studio's way to a creator's earnings (/studio/earnings). Its one string is in the `payouts`
 * namespace, loaded under its own Suspense: the studio never waits for it.
 */
export function EarningsLink() {
  return (
    <Suspense fallback={null}>
      <EarningsLinkButton />
    </Suspense>
  );
}

function EarningsLinkButton() {
  const { t } = useTranslation("payouts");
  return (
    <ButtonLink icon={<Wallet />} to="/studio/earnings" data-testid="nav-earnings">
      {t("nav.earnings")}
    </ButtonLink>
  );
}
