import { useId } from "react";
import { useTranslation } from "react-i18next";
import { sortEvents, WEBHOOK_EVENTS, type WebhookEvent } from "../../lib/webhooks";

/**
 * The events an endpoint receives: one checkbox per event type (its name, the type as the body
 * carries it, and when it is sent), in a fieldset whose legend names them. `error` is read out
 * with the group and marks every box invalid.
 */
export function EventsField({
  value,
  onChange,
  error,
}: {
  value: readonly WebhookEvent[];
  onChange: (next: WebhookEvent[]) => void;
  error?: string;
}) {
  const { t } = useTranslation("webhooks");
  const id = useId();
  const toggle = (event: WebhookEvent, on: boolean) =>
    onChange(sortEvents(on ? [...value, event] : value.filter((e) => e !== event)));
  return (
    <fieldset
      className="webhooks-events"
      aria-describedby={[error ? `${id}-error` : "", `${id}-hint`].filter(Boolean).join(" ")}
      data-testid="webhook-events"
    >
      <legend className="ui-field-label">{t("form.events")}</legend>
      <small id={`${id}-hint`} className="ui-field-hint">
        {t("form.eventsHint")}
      </small>
      <div className="webhooks-events-list">
        {WEBHOOK_EVENTS.map((event) => (
          <label key={event} className="webhooks-check">
            <input
              type="checkbox"
              name="events"
              value={event}
              checked={value.includes(event)}
              onChange={(e) => toggle(event, e.target.checked)}
              aria-invalid={error ? true : undefined}
            />
            <span>
              <span className="webhooks-check-name">
                {t(`events.${event}`)} <code>{event}</code>
              </span>
              <small className="ui-field-hint">{t(`eventHints.${event}`)}</small>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <small id={`${id}-error`} className="ui-field-error">
          {error}
        </small>
      ) : null}
    </fieldset>
  );
}
