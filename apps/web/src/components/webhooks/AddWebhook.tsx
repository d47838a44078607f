import type { Ref } from "react";
import { useTranslation } from "react-i18next";
import { MAX_WEBHOOKS, type WebhookInput } from "../../lib/webhooks";
import { WebhookForm } from "./WebhookForm";

/**
 * "Add an endpoint": the form for a new endpoint, or, once the channel has as many as it may,
 * how to make room. `onAdd` creates it (and the page shows its secret).
 */
export function AddWebhook({
  count,
  onAdd,
  urlRef,
}: {
  count: number;
  onAdd: (input: WebhookInput) => Promise<unknown>;
  urlRef?: Ref<HTMLInputElement>;
}) {
  const { t } = useTranslation("webhooks");
  return (
    <section className="studio-card" aria-labelledby="add-webhook-title" data-testid="add-webhook">
      <h2 id="add-webhook-title">{t("form.addTitle")}</h2>
      {count >= MAX_WEBHOOKS ? (
        <p className="muted">{t("form.limit", { max: MAX_WEBHOOKS })}</p>
      ) : (
        <>
          <p className="muted webhooks-lead">{t("form.addHint")}</p>
          <WebhookForm
            submitLabel={t("form.add")}
            onSubmit={onAdd}
            resetOnSuccess
            urlRef={urlRef}
            testId="add-webhook-form"
            aria-labelledby="add-webhook-title"
          />
        </>
      )}
    </section>
  );
}
