import { Inbox, RefreshCw, TriangleExclamationPoint } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem } from "../api/client";
import { Button } from "./Button";
import "./states.css";

/**
 * Nothing here yet, and what to do about it:
 * `<EmptyState icon={<Upload />} title={t("noVideos")} description={t("noVideosHint")} action={<ButtonLink …/>} />`.
 */
export function EmptyState({
  icon,
  title,
  description,
  action,
  compact = false,
}: {
  icon?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  action?: ReactNode;
  /** Smaller, for a section of a page rather than the whole page. */
  compact?: boolean;
}) {
  return (
    <section className={compact ? "ui-state ui-state--compact" : "ui-state"}>
      <span className="ui-state-icon" aria-hidden="true">
        {icon ?? <Inbox />}
      </span>
      <h2 className="ui-state-title">{title}</h2>
      {description ? <p className="ui-state-description">{description}</p> : null}
      {action ? <div className="ui-state-action">{action}</div> : null}
    </section>
  );
}

/**
 * Something failed to load: what went wrong (an API problem's title and detail, or `title`) and
 * a Retry button. Announced as an alert.
 */
export function ErrorState({
  error,
  title,
  description,
  onRetry,
  retryLabel,
  compact = false,
}: {
  error?: unknown;
  title?: ReactNode;
  description?: ReactNode;
  onRetry?: () => void;
  retryLabel?: string;
  compact?: boolean;
}) {
  const { t } = useTranslation("common");
  const problem = error instanceof ApiProblem ? error.problem : null;
  return (
    <section
      className={compact ? "ui-state ui-state--compact ui-state--error" : "ui-state ui-state--error"}
      role="alert"
    >
      <span className="ui-state-icon" aria-hidden="true">
        <TriangleExclamationPoint />
      </span>
      <h2 className="ui-state-title">{title ?? problem?.title ?? t("error.title")}</h2>
      <p className="ui-state-description">{description ?? problem?.detail ?? t("error.tryAgain")}</p>
      {onRetry ? (
        <div className="ui-state-action">
          <Button icon={<RefreshCw />} onClick={onRetry}>
            {retryLabel ?? t("actions.retry")}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
