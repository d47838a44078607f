import { Copy, Link2, Share2 } from "lucide-react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { Button, Dialog, FormField, Input, TextArea, toast } from "../ui";

/** Copies `text`; without clipboard permission, selects the field instead so Ctrl+C works. */
async function copyText(
  text: string,
  field: HTMLInputElement | HTMLTextAreaElement | null,
  done: string,
  fallback: string,
) {
  try {
    await navigator.clipboard.writeText(text);
    toast({ title: done, tone: "success" });
  } catch {
    field?.select();
    toast({ title: fallback });
  }
}

/** The video's link and the copyable <iframe> snippet for embedding it on another site. */
export function EmbedSnippet({ videoId, title }: { videoId: string; title: string }) {
  const { t } = useTranslation("watch");
  const link = `${window.location.origin}/watch/${videoId}`;
  const safeTitle = title.replace(/[&"<>]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const snippet = `<iframe src="${window.location.origin}/embed/${videoId}" title="${safeTitle}" width="640" height="360" allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>`;
  const fallback = t("share.copyFallback");
  const linkField = useRef<HTMLInputElement>(null);
  const codeField = useRef<HTMLTextAreaElement>(null);
  return (
    <div className="share stack">
      <FormField label={t("share.link")}>
        {(control) => (
          <div className="share-row">
            <Input
              {...control}
              ref={linkField}
              readOnly
              value={link}
              onFocus={(e) => e.currentTarget.select()}
            />
            <Button
              icon={<Link2 />}
              onClick={() => void copyText(link, linkField.current, t("share.linkCopied"), fallback)}
            >
              {t("share.copyLink")}
            </Button>
          </div>
        )}
      </FormField>
      <FormField label={t("share.embedCode")} hint={t("share.embedHint")}>
        {(control) => (
          <TextArea
            {...control}
            ref={codeField}
            className="share-code"
            readOnly
            rows={4}
            value={snippet}
            onFocus={(e) => e.currentTarget.select()}
          />
        )}
      </FormField>
      <div className="row">
        <Button
          variant="primary"
          icon={<Copy />}
          onClick={() => void copyText(snippet, codeField.current, t("share.codeCopied"), fallback)}
        >
          {t("share.copyCode")}
        </Button>
      </div>
    </div>
  );
}

/** "Share": the link and the embed code in a dialog. */
export function ShareButton({ videoId, title }: { videoId: string; title: string }) {
  const { t } = useTranslation("watch");
  return (
    <Dialog
      title={t("share.title")}
      description={t("share.description")}
      size="md"
      trigger={<Button icon={<Share2 />}>{t("share.button")}</Button>}
    >
      <EmbedSnippet videoId={videoId} title={title} />
    </Dialog>
  );
}
