import { CircleCheck, Landmark } from "lucide-react";
import { useTranslation } from "react-i18next";
import { type AccountState, onboardingStep, onboardingTarget, payoutsApi } from "../../lib/payouts";
import { useAction } from "../../lib/useAction";
import { Badge, Button } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";

/**
 * Where the channel's Stripe Connect account stands: none → "Set up payouts", pending → "Finish
 * setting up" (both POST /me/payouts/onboarding and go to the account link it returns), enabled →
 * a badge. The link is followed only when it is an http(s) address.
 */
export function OnboardingCard({ state }: { state: AccountState }) {
  const { t } = useTranslation("payouts");
  const step = onboardingStep(state);
  const go = useAction(async () => {
    const { url } = await payoutsApi.onboarding();
    const target = onboardingTarget(url);
    if (!target) throw new Error(t("onboarding.badUrl"));
    window.location.assign(target);
  });
  return (
    <section
      className="studio-card payouts-onboarding"
      aria-labelledby="payouts-onboarding-title"
      data-testid="payouts-onboarding"
      data-state={state}
    >
      <div>
        <h2 id="payouts-onboarding-title">{t("onboarding.title")}</h2>
        {step === null ? (
          <>
            <Badge tone="success" icon={<CircleCheck aria-hidden="true" />}>
              {t("onboarding.enabled")}
            </Badge>
            <p className="muted">{t("onboarding.enabledHint")}</p>
          </>
        ) : (
          <p className="muted">{step === "setup" ? t("onboarding.none") : t("onboarding.pending")}</p>
        )}
        <ProblemMessage error={go.error} />
      </div>
      {step === null ? null : (
        <Button variant="primary" icon={<Landmark />} busy={go.busy} onClick={() => void go.run()}>
          {step === "setup" ? t("onboarding.setup") : t("onboarding.finish")}
        </Button>
      )}
    </section>
  );
}
