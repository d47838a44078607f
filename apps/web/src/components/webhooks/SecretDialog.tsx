import { Check, Copy, TriangleAlert } from "lucide-react";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, Dialog, DialogClose, FormField, Input } from "../../ui";

/** A secret just made (by adding an endpoint or rotating its secret), shown this once. */
export interface RevealedSecret {
  url: string;
  secret: string;
  kind: "created" | "rotated";
}

/**
 * The endpoint's signing secret, the one time the API shows it: read-only, with a copy button
 * and a plain warning that it will not be shown again. `revealed` null is closed.
 */
export function SecretDialog({
  revealed,
  onClose,
}: {
  revealed: RevealedSecret | null;
  onClose: () => void;
}) {
  const { t } = useTranslation("webhooks");
  const field = useRef<HTMLInputElement>(null);
  // Said in the dialog, not in a toast: a toast's layer would take the dialog's Escape.
  const [copied, setCopied] = useState<"copied" | "select" | null>(null);
  async function copy(secret: string) {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("copied");
    } catch {
      // No clipboard permission: select it, so Ctrl+C works.
      field.current?.select();
      setCopied("select");
    }
  }
  return (
    <Dialog
      title={revealed?.kind === "rotated" ? t("secret.rotatedTitle") : t("secret.createdTitle")}
      description={revealed ? t("secret.description", { url: revealed.url }) : undefined}
      size="lg"
      open={revealed !== null}
      onOpenChange={(open) => {
        if (!open) {
          setCopied(null);
          onClose();
        }
      }}
      footer={
        <DialogClose asChild>
          <Button variant="primary">{t("secret.done")}</Button>
        </DialogClose>
      }
    >
      {revealed ? (
        <div className="stack" data-testid="webhook-secret">
          <FormField label={t("secret.label")}>
            {(control) => (
              <div className="webhooks-secret-row">
                <Input
                  {...control}
                  ref={field}
                  className="webhooks-secret"
                  readOnly
                  spellCheck={false}
                  value={revealed.secret}
                  onFocus={(e) => e.currentTarget.select()}
                  data-testid="webhook-secret-value"
                />
                <Button
                  icon={copied === "copied" ? <Check /> : <Copy />}
                  onClick={() => void copy(revealed.secret)}
                  data-testid="webhook-secret-copy"
                >
                  {t("secret.copy")}
                </Button>
                <span role="status" className="webhooks-copied">
                  {copied === "copied"
                    ? t("secret.copied")
                    : copied === "select"
                      ? t("secret.copyFallback")
                      : ""}
                </span>
              </div>
            )}
          </FormField>
          <p className="notice webhooks-warning" role="note">
            <TriangleAlert aria-hidden="true" />
            <span>{t("secret.warning")}</span>
          </p>
        </div>
      ) : null}
    </Dialog>
  );
}
