import { ChevronDown, ChevronUp, Send } from "lucide-react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem } from "../../api/client";
import { useFormat } from "../../lib/format";
import { useAction } from "../../lib/useAction";
import { sortEvents, type Webhook, type WebhookWithSecret, webhooksApi } from "../../lib/webhooks";
import { Badge, Button, toast } from "../../ui";
import { DeleteWebhook } from "./DeleteWebhook";
import { DeliveryLog, type WatchedDelivery } from "./DeliveryLog";
import { EditWebhook } from "./EditWebhook";
import { RotateSecret } from "./RotateSecret";

/**
 * One endpoint: its URL, description and events, whether a rotated-out secret still signs, its
 * actions (test event, rotate, edit, delete) and its delivery log, shown on demand. A test event
 * opens the log and follows it until the attempt shows.
 */
export function WebhookCard({
  channelId,
  webhook,
  onChanged,
  onRotated,
  onDeleted,
}: {
  channelId: string;
  webhook: Webhook;
  onChanged: (webhook: Webhook) => void;
  onRotated: (rotated: WebhookWithSecret) => void;
  onDeleted: (webhookId: string) => void;
}) {
  const { t } = useTranslation("webhooks");
  const f = useFormat();
  const logId = useId();
  const titleId = useId();
  const [logOpen, setLogOpen] = useState(false);
  const [watch, setWatch] = useState<WatchedDelivery | null>(null);
  const test = useAction(async () => {
    try {
      const sent = await webhooksApi.sendTest(channelId, webhook.id);
      toast({ title: t("test.sent"), description: t("test.sentHint"), tone: "success" });
      setWatch({ deliveryId: sent.deliveryId, since: Date.now() });
      setLogOpen(true);
    } catch (err) {
      toast({
        title: t("test.failed"),
        description: err instanceof ApiProblem ? (err.problem.detail ?? err.problem.title) : undefined,
        tone: "danger",
      });
    }
  });
  return (
    <li className="studio-card webhooks-card" data-testid="webhook" data-webhook-id={webhook.id}>
      <article aria-labelledby={titleId} className="stack">
        <header className="webhooks-card-head">
          <div className="webhooks-card-title">
            <h3 id={titleId} className="webhooks-url">
              {webhook.url}
            </h3>
            <p className={webhook.description ? "" : "muted"}>
              {webhook.description || t("endpoint.noDescription")}
            </p>
          </div>
          <p className="muted webhooks-created">
            {t("endpoint.created", { time: f.date(webhook.createdAt) })}
          </p>
        </header>
        <ul className="webhooks-badges" aria-label={t("endpoint.events")}>
          {sortEvents(webhook.events).map((e) => (
            <li key={e}>
              <Badge tone="info" title={t(`events.${e}`)}>
                {e}
              </Badge>
            </li>
          ))}
        </ul>
        {webhook.previousSecretExpiresAt ? (
          <p className="notice webhooks-previous" data-testid="webhook-previous-secret">
            {t("endpoint.previousSecret", { time: f.dateTime(webhook.previousSecretExpiresAt) })}
          </p>
        ) : null}
        <div className="studio-actions">
          <Button
            size="sm"
            variant="primary"
            icon={<Send />}
            busy={test.busy}
            onClick={() => void test.run()}
            data-testid="webhook-test"
          >
            {t("actions.test")}
          </Button>
          <RotateSecret channelId={channelId} webhookId={webhook.id} onRotated={onRotated} />
          <EditWebhook channelId={channelId} webhook={webhook} onSaved={onChanged} />
          <DeleteWebhook channelId={channelId} webhook={webhook} onDeleted={onDeleted} />
          <Button
            size="sm"
            variant="ghost"
            className="webhooks-log-toggle"
            icon={logOpen ? <ChevronUp /> : <ChevronDown />}
            aria-expanded={logOpen}
            aria-controls={logOpen ? logId : undefined}
            onClick={() => {
              // Closed, it stops following a test event; opened again, it just loads.
              if (logOpen) setWatch(null);
              setLogOpen(!logOpen);
            }}
            data-testid="webhook-log-toggle"
          >
            {logOpen ? t("actions.hideLog") : t("actions.showLog")}
          </Button>
        </div>
        {logOpen ? <DeliveryLog id={logId} channelId={channelId} webhook={webhook} watch={watch} /> : null}
      </article>
    </li>
  );
}
