import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useInterval } from "../../lib/useInterval";
import { type PagedList, usePagedList } from "../../lib/usePagedList";
import {
  keepPolling,
  TEST_POLL_MS,
  type Webhook,
  type WebhookDelivery,
  webhooksApi,
} from "../../lib/webhooks";
import { ErrorState, SkeletonText, Spinner } from "../../ui";
import { ListFooter } from "../ListFooter";
import { DeliveryItem } from "./DeliveryItem";

/** A test event just sent: its delivery, and when it was sent. */
export interface WatchedDelivery {
  deliveryId: string;
  since: number;
}

/**
 * An endpoint's delivery log, newest first, with "Load more". After a test event (`watch`) it is
 * asked again every 2 s for up to 10 s, until that delivery has its first attempt.
 */
export function DeliveryLog({
  id,
  channelId,
  webhook,
  watch,
}: {
  id: string;
  channelId: string;
  webhook: Webhook;
  watch: WatchedDelivery | null;
}) {
  const { t } = useTranslation("webhooks");
  const list = usePagedList(
    (cursor) => webhooksApi.deliveries(channelId, webhook.id, cursor),
    [channelId, webhook.id],
    { idOf: (d) => d.id },
  );
  const polling = useTestPolling(watch, list);
  const empty = list.items.length === 0;
  return (
    <section id={id} className="webhooks-log" aria-label={t("log.caption", { url: webhook.url })}>
      <h3 className="webhooks-log-title">{t("log.title")}</h3>
      {polling ? (
        <p className="webhooks-waiting muted">
          <Spinner size="sm" /> <span role="status">{t("log.waiting")}</span>
        </p>
      ) : null}
      {empty ? null : (
        <ul className="webhooks-deliveries" data-testid="webhook-deliveries">
          {list.items.map((d) => (
            <DeliveryItem key={d.id} delivery={d} />
          ))}
        </ul>
      )}
      {empty && list.loading ? (
        <div role="status" aria-label={t("log.loading")}>
          <SkeletonText lines={3} />
        </div>
      ) : empty && list.error ? (
        <ErrorState compact error={list.error} onRetry={list.reload} />
      ) : (
        <ListFooter
          list={list}
          empty={t("log.empty")}
          emptyHint={t("log.emptyHint")}
          more={t("log.more")}
          loadingText={t("log.loading")}
        />
      )}
    </section>
  );
}

/** Refreshes the log while the watched test delivery waits for its first attempt; true meanwhile. */
function useTestPolling(
  watch: WatchedDelivery | null,
  list: Pick<PagedList<WebhookDelivery>, "items" | "refresh">,
): boolean {
  const [polling, setPolling] = useState(false);
  const { refresh } = list;
  useEffect(() => {
    if (!watch) return;
    setPolling(true);
    refresh();
  }, [watch, refresh]);
  useInterval(
    () => {
      if (watch && keepPolling(list.items, watch.deliveryId, watch.since)) refresh();
      else setPolling(false);
    },
    polling ? TEST_POLL_MS : null,
  );
  // Said only while it is still waiting: the answer that shows the attempt ends the message at once.
  return polling && watch !== null && keepPolling(list.items, watch.deliveryId, watch.since);
}
