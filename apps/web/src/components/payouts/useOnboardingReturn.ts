import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { toast } from "../../ui";

/**
 * Stripe sends the creator back to `/studio/earnings?onboarding=done` (finished the form) or
 * `?onboarding=refresh` (the link expired). Says so once with a toast and takes the parameter off
 * the address (a reload must not say it again). Returns what came back, for the page to poll the
 * account state for a while: Stripe's `account.updated` webhook, not this return, enables payouts.
 */
export function useOnboardingReturn(): "done" | "refresh" | null {
  const { t } = useTranslation("payouts");
  const [params, setParams] = useSearchParams();
  const said = useRef(false);
  const [returned] = useState((): "done" | "refresh" | null => {
    const value = params.get("onboarding");
    return value === "done" || value === "refresh" ? value : null;
  });
  useEffect(() => {
    if (!params.has("onboarding")) return;
    if (!said.current && returned) {
      said.current = true;
      toast(
        returned === "done"
          ? { title: t("onboarding.done"), description: t("onboarding.doneHint"), tone: "success" }
          : { title: t("onboarding.refresh"), description: t("onboarding.refreshHint"), tone: "info" },
      );
    }
    const next = new URLSearchParams(params);
    next.delete("onboarding");
    setParams(next, { replace: true });
  }, [params, setParams, returned, t]);
  return returned;
}
