import { Crown, LogIn, MonitorPlay, RefreshCw } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { useFormat } from "../../lib/format";
import type { ActiveStream } from "../../lib/player/limits";
import { useSession } from "../../lib/session";
import { Button, ButtonLink } from "../../ui";

/** The plan's display word for an id the API named (`requiredPlan`). */
function usePlanWord() {
  const { t } = useTranslation("common");
  return (plan: string) =>
    plan === "standard" || plan === "premium" || plan === "free" ? t(`plan.${plan}`) : plan;
}

/**
 * A video the viewer's plan does not include (403 `plan_required`): where the player would be,
 * what it takes and the way there. Signed out, also the way to sign in (a member's plan may have it).
 */
export function UpgradePanel({ requiredPlan }: { requiredPlan: string }) {
  const { t } = useTranslation("player");
  const planWord = usePlanWord();
  const signedIn = useSession() !== null;
  const { pathname } = useLocation();
  const plan = planWord(requiredPlan);
  return (
    <section className="player-limit" data-testid="upgrade-panel" aria-labelledby="upgrade-panel-title">
      <span className="player-limit-icon" aria-hidden="true">
        <Crown />
      </span>
      <h2 id="upgrade-panel-title">{t("upgrade.title", { plan })}</h2>
      <p>{t("upgrade.description", { plan })}</p>
      <div className="row player-limit-actions">
        <ButtonLink to="/plans" variant="primary" icon={<Crown />}>
          {t("upgrade.action", { plan })}
        </ButtonLink>
      </div>
      {signedIn ? null : (
        <p className="player-limit-note">
          <LogIn aria-hidden="true" />
          <Link to={`/signin?next=${encodeURIComponent(pathname)}`}>{t("upgrade.signIn", { plan })}</Link>
        </p>
      )}
    </section>
  );
}

/**
 * Every stream of the plan is in use (409 `too_many_streams`): how many the plan allows, the
 * devices watching now, and either upgrade or try again (after stopping one of them).
 */
export function StreamsPanel({
  allowed,
  active,
  onRetry,
  busy,
}: {
  allowed: number;
  active: ActiveStream[];
  onRetry: () => void;
  busy?: boolean;
}) {
  const { t } = useTranslation("player");
  const f = useFormat();
  return (
    <section className="player-limit" data-testid="streams-panel" aria-labelledby="streams-panel-title">
      <h2 id="streams-panel-title">{t("streams.title", { count: allowed })}</h2>
      <p>{t("streams.description")}</p>
      {active.length ? (
        <ul className="player-limit-streams" aria-label={t("streams.list")}>
          {active.map((s) => (
            <li key={s.streamId} data-testid="active-stream">
              <MonitorPlay aria-hidden="true" />
              <span className="player-limit-device">{s.device}</span>
              <span className="player-limit-when">
                {t("streams.started", { ago: f.timeAgo(s.startedAt) })}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="row player-limit-actions">
        <ButtonLink to="/plans" variant="primary">
          {t("streams.upgrade")}
        </ButtonLink>
        <Button icon={<RefreshCw />} busy={busy} onClick={onRetry}>
          {t("streams.retry")}
        </Button>
      </div>
    </section>
  );
}
