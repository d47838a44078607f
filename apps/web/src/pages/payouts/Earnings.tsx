import { Clapperboard, Tv, Upload } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, must } from "../../api/client";
import { EarningsSection } from "../../components/payouts/EarningsSection";
import { EarningsSummary, EarningsSummarySkeleton } from "../../components/payouts/EarningsSummary";
import { ExportButtons } from "../../components/payouts/ExportButtons";
import { OnboardingCard } from "../../components/payouts/OnboardingCard";
import { PayoutHistory } from "../../components/payouts/PayoutHistory";
import { useOnboardingReturn } from "../../components/payouts/useOnboardingReturn";
import { GrownUpGate } from "../../components/studio/GrownUpGate";
import { type AccountState, hasEarnings, payoutsApi } from "../../lib/payouts";
import { useInterval } from "../../lib/useInterval";
import { useLoad } from "../../lib/useLoad";
import { usePagedList } from "../../lib/usePagedList";
import { ButtonLink, EmptyState, ErrorState, Skeleton, toast } from "../../ui";
import "../../studio.css";
import "../../components/payouts/payouts.css";

/** Back from Stripe, the page asks again this often, this many times, until the webhook enabled payouts. */
const POLL_MS = 5000;
const POLLS = 24;

/**
 * /studio/earnings: the creator's money. Payout onboarding (Stripe Connect), the totals and this
 * month's estimate, earnings per month (chart and table), the payout history, and CSV exports.
 */
export function EarningsPage() {
  const { t } = useTranslation("payouts");
  return (
    <GrownUpGate
      title={t("earnings.title")}
      next="/studio/earnings"
      signInTo={t("earnings.signInTo")}
      kids={{ title: t("gate.kids"), hint: t("gate.kidsHint"), home: t("gate.home") }}
    >
      <Earnings />
    </GrownUpGate>
  );
}

function Earnings() {
  const { t } = useTranslation("payouts");
  const returned = useOnboardingReturn();
  const me = useLoad(() => must(api.GET("/api/v1/me")), []);
  const earnings = usePagedList((cursor) => payoutsApi.earnings(cursor), [], { idOf: (r) => r.period });
  const payouts = usePagedList((cursor) => payoutsApi.payouts(cursor), [], { idOf: (p) => p.id });
  const page = earnings.last;
  useAccountPolling(returned === "done", page?.account.state, earnings.refresh);

  const noChannel = me.data?.channelId === null;
  const empty = page ? !hasEarnings(page) && payouts.items.length === 0 : false;
  return (
    <section className="studio" aria-labelledby="earnings-title">
      <header className="studio-head">
        <div>
          <h1 id="earnings-title">{t("earnings.title")}</h1>
          <p className="muted">{t("earnings.subtitle")}</p>
        </div>
        {page && !empty ? <ExportButtons /> : null}
      </header>
      {me.error ? <ErrorState compact error={me.error} onRetry={me.reload} /> : null}
      {noChannel ? (
        <EmptyState
          icon={<Tv />}
          title={t("earnings.noChannel.title")}
          description={t("earnings.noChannel.description")}
          action={
            <ButtonLink variant="primary" to="/studio/channel">
              {t("earnings.noChannel.action")}
            </ButtonLink>
          }
        />
      ) : null}
      {!noChannel && !page && earnings.loading ? <EarningsSkeleton label={t("earnings.loading")} /> : null}
      {/* Without a channel the API answers 409: the "create a channel" state above says it better. */}
      {!noChannel && !page && earnings.error && !me.loading ? (
        <ErrorState error={earnings.error} onRetry={earnings.reload} />
      ) : null}
      {!noChannel && page ? (
        <>
          <OnboardingCard state={page.account.state} />
          {empty ? (
            <EmptyState
              icon={<Clapperboard />}
              title={t("earnings.empty.title")}
              description={t("earnings.empty.description")}
              action={
                <ButtonLink variant="primary" icon={<Upload />} to="/studio/upload">
                  {t("earnings.empty.action")}
                </ButtonLink>
              }
            />
          ) : (
            <>
              <EarningsSummary page={page} />
              <EarningsSection list={earnings} estimate={page.estimate} />
              <PayoutHistory list={payouts} />
            </>
          )}
        </>
      ) : null}
    </section>
  );
}

function EarningsSkeleton({ label }: { label: string }) {
  return (
    <div className="stack" role="status" aria-label={label} data-testid="earnings-loading">
      <Skeleton height="6rem" radius="lg" />
      <EarningsSummarySkeleton />
      <Skeleton height="20rem" radius="lg" />
    </div>
  );
}

/**
 * Back from Stripe's form, the account is usually still pending: Stripe's `account.updated` webhook
 * enables it a moment later. Asks again every 5 s for two minutes while it is pending, and says so
 * when it turns enabled.
 */
function useAccountPolling(back: boolean, state: AccountState | undefined, refresh: () => void) {
  const { t } = useTranslation("payouts");
  const [polls, setPolls] = useState(0);
  const previous = useRef(state);
  useInterval(
    () => {
      setPolls((n) => n + 1);
      refresh();
    },
    back && state === "pending" && polls < POLLS ? POLL_MS : null,
  );
  useEffect(() => {
    if (back && previous.current === "pending" && state === "enabled")
      toast({ title: t("onboarding.doneEnabled"), tone: "success" });
    previous.current = state;
  }, [back, state, t]);
}
