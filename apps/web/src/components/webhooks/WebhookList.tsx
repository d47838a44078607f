import { useTranslation } from "react-i18next";
import { MAX_WEBHOOKS, type Webhook, type WebhookWithSecret } from "../../lib/webhooks";
import { Skeleton, SkeletonText } from "../../ui";
import { WebhookCard } from "./WebhookCard";

/** The channel's endpoints, newest first, each a card with its actions and log. */
export function WebhookList({
  channelId,
  webhooks,
  onChanged,
  onRotated,
  onDeleted,
}: {
  channelId: string;
  webhooks: readonly Webhook[];
  onChanged: (webhook: Webhook) => void;
  onRotated: (rotated: WebhookWithSecret) => void;
  onDeleted: (webhookId: string) => void;
}) {
  const { t } = useTranslation("webhooks");
  return (
    <section className="stack" aria-labelledby="webhooks-list-title">
      <h2 id="webhooks-list-title" className="webhooks-list-title">
        {t("list.label")}{" "}
        <span className="muted">({t("list.count", { count: webhooks.length, max: MAX_WEBHOOKS })})</span>
      </h2>
      <ul className="webhooks-list" data-testid="webhook-list">
        {webhooks.map((w) => (
          <WebhookCard
            key={w.id}
            channelId={channelId}
            webhook={w}
            onChanged={onChanged}
            onRotated={onRotated}
            onDeleted={onDeleted}
          />
        ))}
      </ul>
    </section>
  );
}

/** The page while the endpoints come: two cards' shapes and the form's. */
export function WebhookListSkeleton({ label }: { label: string }) {
  return (
    <div className="stack" role="status" aria-label={label} data-testid="webhooks-loading">
      {[0, 1].map((i) => (
        <div key={i} className="studio-card stack">
          <Skeleton width="min(28rem, 80%)" height="1.25rem" />
          <SkeletonText lines={1} />
          <div className="studio-actions">
            <Skeleton width="6rem" height="1.5rem" radius="full" />
            <Skeleton width="8rem" height="1.5rem" radius="full" />
          </div>
        </div>
      ))}
      <Skeleton height="16rem" radius="lg" />
    </div>
  );
}
