import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type CaptionTrack, captionsText, putCaptions } from "../../lib/captions";
import { useLoad } from "../../lib/useLoad";
import { Button, ErrorState, SkeletonText, toast } from "../../ui";
import { TextAreaField } from "../form/Field";
import { Form } from "../form/Form";

/**
 * One language's captions as WebVTT text, edited in place: the stored file is loaded into the
 * text area and saving sends the text back as a whole (text/vtt, the label kept). The API checks
 * it like an upload: a wrong line comes back as the problem's detail ("line 14: …"), under the form.
 */
export function CaptionEditor({
  videoId,
  track,
  onSaved,
  onClose,
}: {
  videoId: string;
  track: CaptionTrack;
  onSaved: (track: CaptionTrack) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation(["studio", "common"]);
  const loaded = useLoad(() => captionsText(videoId, track.language), [videoId, track.language]);
  const [text, setText] = useState<string | null>(null);
  const value = text ?? loaded.data ?? "";

  if (loaded.error) return <ErrorState compact error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined)
    return (
      <div role="status">
        <span className="visually-hidden">{t("captions.edit.loading")}</span>
        <SkeletonText lines={4} />
      </div>
    );
  return (
    <Form
      className="studio-form studio-captions-editor"
      rowClassName="studio-actions"
      aria-label={t("captions.edit.heading", { label: track.label })}
      submitLabel={t("common:actions.save")}
      busyLabel={t("common:status.saving")}
      disabled={text === null}
      onSubmit={async () => {
        const saved = await putCaptions(videoId, track.language, value, {
          label: track.label,
          type: "text/vtt",
        });
        onSaved(saved.track);
        toast({ title: t("captions.saved", { label: saved.track.label }), tone: "success" });
        onClose();
      }}
      actions={
        <Button variant="ghost" onClick={onClose}>
          {t("common:actions.cancel")}
        </Button>
      }
    >
      <TextAreaField
        label={t("captions.edit.text", { label: track.label })}
        hint={t("captions.edit.hint")}
        value={value}
        onChange={setText}
        rows={14}
        spellCheck={false}
        className="studio-captions-text"
        data-testid="captions-text"
      />
    </Form>
  );
}
