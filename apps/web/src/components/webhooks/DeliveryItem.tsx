import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import {
  attemptOutcome,
  DELIVERY_TONE,
  type DeliveryAttempt,
  isKnownEvent,
  type WebhookDelivery,
} from "../../lib/webhooks";
import { Badge, StatusChip } from "../../ui";

/**
 * One delivery in the log: its event, its state, when it was made, and each attempt with the
 * receiver's status code (or why there was none) and how long it took; the next attempt's time
 * while it is still being retried.
 */
export function DeliveryItem({ delivery }: { delivery: WebhookDelivery }) {
  const { t } = useTranslation("webhooks");
  const f = useFormat();
  const type = delivery.eventType;
  return (
    <li
      className="webhooks-delivery"
      data-testid="webhook-delivery"
      data-delivery-id={delivery.id}
      data-status={delivery.status}
    >
      <div className="webhooks-delivery-head">
        <span className="webhooks-delivery-event">
          {isKnownEvent(type) ? <span>{t(`events.${type}`)}</span> : null}
          <code>{type}</code>
        </span>
        <StatusChip tone={DELIVERY_TONE[delivery.status]} data-state={delivery.status}>
          {t(`log.status.${delivery.status}`)}
        </StatusChip>
        <time className="muted" dateTime={delivery.createdAt}>
          {t("log.createdAt", { time: f.dateTime(delivery.createdAt) })}
        </time>
      </div>
      {delivery.attempts.length ? (
        <ol className="webhooks-attempts" aria-label={t("log.attempts")}>
          {delivery.attempts.map((a) => (
            <Attempt key={a.attempt} attempt={a} />
          ))}
        </ol>
      ) : (
        <p className="muted webhooks-attempts-none">{t("log.noAttempts")}</p>
      )}
      {delivery.nextAttemptAt ? (
        <p className="muted webhooks-next">
          {t("log.nextAttempt", { time: f.timeAgo(delivery.nextAttemptAt) })}
        </p>
      ) : null}
    </li>
  );
}

function Attempt({ attempt }: { attempt: DeliveryAttempt }) {
  const { t } = useTranslation("webhooks");
  const f = useFormat();
  const outcome = attemptOutcome(attempt);
  return (
    <li data-testid="webhook-attempt" data-status-code={attempt.statusCode ?? ""}>
      <span className="webhooks-attempt-n">{t("log.attempt", { n: attempt.attempt })}</span>
      {outcome.kind === "status" ? (
        <Badge tone={outcome.ok ? "success" : "danger"}>{t("log.response", { code: outcome.code })}</Badge>
      ) : (
        <span className="webhooks-attempt-error">
          {outcome.message ? t("log.error", { message: outcome.message }) : t("log.unknownError")}
        </span>
      )}
      <span className="muted">{t("log.duration", { ms: f.number(attempt.durationMs) })}</span>
      <time className="muted" dateTime={attempt.at}>
        {f.dateTime(attempt.at)}
      </time>
    </li>
  );
}
