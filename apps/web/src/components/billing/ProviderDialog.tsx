import { CreditCard, Wallet } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { BillingInterval, PaymentProvider, Plan } from "../../api/types";
import { startCheckout } from "../../lib/billing";
import { useAction } from "../../lib/useAction";
import { Button, Dialog } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";
import { usePriceWords } from "./PlanCard";

/**
 * "How would you like to pay?": one button per provider the plan is sold through ("Pay with card"
 * = Stripe Checkout, "Pay with PayPal"). Choosing one asks the edge for the provider's page and
 * goes there; a refusal (already on a plan, provider down) shows here.
 */
export function ProviderDialog({
  plan,
  interval,
  onClose,
}: {
  plan: Plan | null;
  interval: BillingInterval;
  onClose: () => void;
}) {
  const { t } = useTranslation("billing");
  const priceWords = usePriceWords();
  const checkout = useAction((provider: PaymentProvider) =>
    plan ? startCheckout(plan, interval, provider) : Promise.resolve(),
  );
  const providers = plan?.providers ?? [];
  return (
    <Dialog
      open={plan !== null}
      onOpenChange={(open) => {
        if (!open && !checkout.busy) {
          checkout.setError(null);
          onClose();
        }
      }}
      title={t("provider.title")}
      description={
        plan ? t("provider.description", { plan: plan.name, price: priceWords(plan, interval) }) : undefined
      }
      size="sm"
    >
      <div className="stack">
        {providers.length === 0 ? <p>{t("provider.none")}</p> : null}
        {providers.map((provider) => (
          <Button
            key={provider}
            variant={provider === "stripe" ? "primary" : "secondary"}
            block
            icon={provider === "stripe" ? <CreditCard /> : <Wallet />}
            busy={checkout.busy}
            onClick={() => void checkout.run(provider)}
          >
            {provider === "stripe" ? t("provider.stripe") : t("provider.paypal")}
          </Button>
        ))}
        <ProblemMessage error={checkout.error} />
      </div>
    </Dialog>
  );
}
