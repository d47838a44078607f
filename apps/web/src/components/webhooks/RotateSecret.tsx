import { KeyRound } from "lucide-react";
import { useTranslation } from "react-i18next";
import { type WebhookWithSecret, webhooksApi } from "../../lib/webhooks";
import { Button, ConfirmDialog } from "../../ui";

/**
 * "Rotate secret", after a confirmation: the new secret goes to `onRotated` (the page shows it
 * once, in a dialog that says it was rotated: no toast, whose layer would take that dialog's Escape).
 */
export function RotateSecret({
  channelId,
  webhookId,
  onRotated,
}: {
  channelId: string;
  webhookId: string;
  onRotated: (rotated: WebhookWithSecret) => void;
}) {
  const { t } = useTranslation("webhooks");
  return (
    <ConfirmDialog
      title={t("rotate.title")}
      description={t("rotate.description")}
      confirmLabel={t("rotate.confirm")}
      tone="primary"
      onConfirm={async () => {
        const rotated = await webhooksApi.rotateSecret(channelId, webhookId);
        onRotated(rotated);
      }}
      trigger={
        <Button size="sm" icon={<KeyRound />} data-testid="webhook-rotate">
          {t("actions.rotate")}
        </Button>
      }
    />
  );
}
