import { Trash2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import { type Webhook, webhooksApi } from "../../lib/webhooks";
import { Button, ConfirmDialog, toast } from "../../ui";

/** "Delete", after a confirmation naming the URL; its log goes with it. */
export function DeleteWebhook({
  channelId,
  webhook,
  onDeleted,
}: {
  channelId: string;
  webhook: Webhook;
  onDeleted: (webhookId: string) => void;
}) {
  const { t } = useTranslation("webhooks");
  return (
    <ConfirmDialog
      title={t("delete.title")}
      description={t("delete.description", { url: webhook.url })}
      confirmLabel={t("delete.confirm")}
      onConfirm={async () => {
        await webhooksApi.remove(channelId, webhook.id);
        toast({ title: t("delete.done") });
        onDeleted(webhook.id);
      }}
      trigger={
        <Button size="sm" variant="ghost" icon={<Trash2 />} data-testid="webhook-delete">
          {t("actions.delete")}
        </Button>
      }
    />
  );
}
