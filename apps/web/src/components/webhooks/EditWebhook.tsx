import { Pencil } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { patchOf, type Webhook, webhooksApi } from "../../lib/webhooks";
import { Button, Dialog, DialogClose, toast } from "../../ui";
import { WebhookForm } from "./WebhookForm";

/** "Edit": the endpoint's URL, events and description in a dialog; only what changed is sent. */
export function EditWebhook({
  channelId,
  webhook,
  onSaved,
}: {
  channelId: string;
  webhook: Webhook;
  onSaved: (webhook: Webhook) => void;
}) {
  const { t } = useTranslation(["webhooks", "common"]);
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      title={t("edit.title")}
      description={t("edit.description")}
      open={open}
      onOpenChange={setOpen}
      trigger={
        <Button size="sm" icon={<Pencil />} data-testid="webhook-edit">
          {t("actions.edit")}
        </Button>
      }
    >
      {/* A new form each time it opens: the endpoint as it is now, no leftover errors. */}
      {open ? (
        <WebhookForm
          webhook={webhook}
          submitLabel={t("edit.save")}
          testId="edit-webhook-form"
          onSubmit={async (input) => {
            const patch = patchOf(webhook, input);
            if (Object.keys(patch).length === 0) {
              toast({ title: t("edit.unchanged") });
            } else {
              onSaved(await webhooksApi.update(channelId, webhook.id, patch));
              toast({ title: t("edit.saved"), tone: "success" });
            }
            setOpen(false);
          }}
          actions={
            <DialogClose asChild>
              <Button variant="ghost">{t("common:actions.cancel")}</Button>
            </DialogClose>
          }
        />
      ) : null}
    </Dialog>
  );
}
