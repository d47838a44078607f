import { Plus, Tv, Webhook as WebhookIcon } from "lucide-react";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, must } from "../../api/client";
import { GrownUpGate } from "../../components/studio/GrownUpGate";
import { AddWebhook } from "../../components/webhooks/AddWebhook";
import { type RevealedSecret, SecretDialog } from "../../components/webhooks/SecretDialog";
import { WebhookList, WebhookListSkeleton } from "../../components/webhooks/WebhookList";
import { useLoad } from "../../lib/useLoad";
import { type Webhook, type WebhookInput, webhooksApi } from "../../lib/webhooks";
import { Button, ButtonLink, EmptyState, ErrorState } from "../../ui";
import "../../studio.css";
import "../../components/webhooks/webhooks.css";

/**
 * /studio/webhooks: the channel's webhook endpoints (docs/webhooks.md). Each with its events, a
 * test event, secret rotation, edit, delete and its delivery log; a form to add one. A secret is
 * shown once, when it is made.
 */
export function WebhooksPage() {
  const { t } = useTranslation("webhooks");
  return (
    <GrownUpGate
      title={t("page.title")}
      next="/studio/webhooks"
      signInTo={t("page.signInTo")}
      kids={{ title: t("gate.kids"), hint: t("gate.kidsHint"), home: t("gate.home") }}
    >
      <Webhooks />
    </GrownUpGate>
  );
}

function Webhooks() {
  const { t } = useTranslation("webhooks");
  const me = useLoad(() => must(api.GET("/api/v1/me")), []);
  const channelId = me.data?.channelId ?? null;
  const list = useLoad(() => webhooksApi.list(channelId ?? ""), [channelId], { enabled: channelId !== null });
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);
  const urlInput = useRef<HTMLInputElement>(null);

  const items = list.data?.items;
  const replace = (webhook: Webhook) =>
    list.setData((prev) => prev && { items: prev.items.map((w) => (w.id === webhook.id ? webhook : w)) });

  async function add(input: WebhookInput) {
    if (!channelId) return;
    const { secret, ...created } = await webhooksApi.create(channelId, input);
    list.setData((prev) => ({ items: [created, ...(prev?.items ?? []).filter((w) => w.id !== created.id)] }));
    // No toast: the secret's dialog says it was added (and a toast's layer would take its Escape).
    setRevealed({ url: created.url, secret, kind: "created" });
  }

  const noChannel = me.data !== undefined && channelId === null;
  // Until the endpoints are in (or something failed): the account, then the list, on their way.
  const waiting = !me.error && !noChannel && !items && !list.error;
  return (
    <section className="studio" aria-labelledby="webhooks-title">
      <header className="studio-head">
        <div>
          <h1 id="webhooks-title">{t("page.title")}</h1>
          <p className="muted webhooks-lead">{t("page.subtitle")}</p>
        </div>
      </header>
      {me.error ? <ErrorState error={me.error} onRetry={me.reload} /> : null}
      {noChannel ? (
        <EmptyState
          icon={<Tv />}
          title={t("noChannel.title")}
          description={t("noChannel.description")}
          action={
            <ButtonLink variant="primary" to="/studio/channel">
              {t("noChannel.action")}
            </ButtonLink>
          }
        />
      ) : null}
      {waiting ? <WebhookListSkeleton label={t("page.loading")} /> : null}
      {channelId && list.error && !items ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {channelId && items ? (
        <>
          {items.length === 0 ? (
            <EmptyState
              icon={<WebhookIcon />}
              title={t("empty.title")}
              description={t("empty.description")}
              action={
                <Button variant="primary" icon={<Plus />} onClick={() => urlInput.current?.focus()}>
                  {t("empty.action")}
                </Button>
              }
            />
          ) : (
            <WebhookList
              channelId={channelId}
              webhooks={items}
              onChanged={replace}
              onRotated={({ secret, ...rotated }) => {
                replace(rotated);
                setRevealed({ url: rotated.url, secret, kind: "rotated" });
              }}
              onDeleted={(id) =>
                list.setData((prev) => prev && { items: prev.items.filter((w) => w.id !== id) })
              }
            />
          )}
          <AddWebhook count={items.length} onAdd={add} urlRef={urlInput} />
          <p className="muted webhooks-lead">{t("page.docsHint")}</p>
        </>
      ) : null}
      <SecretDialog revealed={revealed} onClose={() => setRevealed(null)} />
    </section>
  );
}
