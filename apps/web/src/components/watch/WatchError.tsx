import { useTranslation } from "react-i18next";
import { ApiProblem } from "../../api/client";
import { limitOf } from "../../lib/player/limits";
import { ErrorState } from "../../ui";
import { UpgradePanel } from "../player/LimitPanels";

/**
 * The video could not be loaded: the API's problem (not found, private, premium required…) with
 * its own title and detail, a plain-words explanation when the API gave no detail, and Retry.
 */
export function WatchError({
  error,
  onRetry,
  compact,
}: {
  error: unknown;
  onRetry: () => void;
  compact?: boolean;
}) {
  const { t } = useTranslation("watch");
  const problem = error instanceof ApiProblem ? error.problem : null;
  // The video itself is for a plan the viewer lacks: the way to it, not an error.
  const limit = problem ? limitOf(problem) : null;
  if (limit?.kind === "plan")
    return (
      <div className="player-frame player-limit-frame">
        <UpgradePanel requiredPlan={limit.requiredPlan} />
      </div>
    );
  const fallback =
    problem?.status === 404
      ? t("error.notFound")
      : problem?.status === 401
        ? t("error.signIn")
        : problem?.status === 403 || problem?.status === 402
          ? t("error.forbidden")
          : undefined;
  return (
    <ErrorState
      compact={compact}
      error={error}
      description={problem?.detail ? undefined : fallback}
      onRetry={onRetry}
    />
  );
}
