import { FilePen, FileUp, Trash2 } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  CAPTION_FILE_ACCEPT,
  type CaptionTrack,
  captionContentType,
  deleteCaptions,
  MAX_CAPTION_BYTES,
  putCaptions,
} from "../../lib/captions";
import { useFormat } from "../../lib/format";
import { useAction } from "../../lib/useAction";
import { Button, buttonClass, ConfirmDialog, toast } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";
import { CaptionEditor } from "./CaptionEditor";

/**
 * One language of a video's captions: its label, tag, cue count and when it last changed, with
 * Edit (the WebVTT in a text area), Replace file (a new file, the label kept) and Delete (after a
 * confirmation).
 */
export function CaptionRow({
  videoId,
  track,
  onSaved,
  onDeleted,
}: {
  videoId: string;
  track: CaptionTrack;
  onSaved: (track: CaptionTrack) => void;
  onDeleted: (language: string) => void;
}) {
  const { t } = useTranslation(["studio", "common"]);
  const f = useFormat();
  const [editing, setEditing] = useState(false);
  const replace = useAction(async (file: File) => {
    if (file.size > MAX_CAPTION_BYTES)
      throw new Error(t("captions.add.tooBig", { max: f.fileSize(MAX_CAPTION_BYTES) }));
    const saved = await putCaptions(videoId, track.language, file, {
      label: track.label,
      type: captionContentType(file.name),
    });
    onSaved(saved.track);
    toast({ title: t("captions.replaced", { label: saved.track.label }), tone: "success" });
  });

  return (
    <li className="studio-caption" data-testid="caption-track" data-language={track.language}>
      <div className="studio-caption-head">
        <div className="studio-caption-text">
          <strong lang={track.language}>{track.label}</strong>
          <span className="studio-caption-meta muted">
            <code>{track.language}</code>
            <span>{t("captions.cues", { count: track.cueCount })}</span>
            <span>{t("captions.updated", { ago: f.timeAgo(track.updatedAt) })}</span>
          </span>
        </div>
        <div className="studio-actions">
          <Button
            size="sm"
            variant="ghost"
            icon={<FilePen />}
            aria-expanded={editing}
            onClick={() => setEditing((open) => !open)}
          >
            {t("common:actions.edit")}
          </Button>
          <label className={buttonClass({ variant: "ghost", size: "sm" }, "studio-caption-replace")}>
            <FileUp aria-hidden="true" />
            {replace.busy ? t("captions.add.uploading") : t("captions.replace")}
            <input
              type="file"
              accept={CAPTION_FILE_ACCEPT}
              className="visually-hidden"
              disabled={replace.busy}
              data-testid="captions-replace-file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = ""; // the same file again is a change again
                if (file) void replace.run(file);
              }}
            />
          </label>
          <ConfirmDialog
            title={t("captions.delete.title", { label: track.label })}
            description={t("captions.delete.text", { label: track.label, language: track.language })}
            confirmLabel={t("captions.delete.confirm")}
            cancelLabel={t("captions.delete.keep")}
            tone="danger"
            onConfirm={async () => {
              await deleteCaptions(videoId, track.language);
              onDeleted(track.language);
              toast({ title: t("captions.delete.done", { label: track.label }) });
            }}
            trigger={
              <Button size="sm" variant="ghost" icon={<Trash2 />}>
                {t("common:actions.delete")}
              </Button>
            }
          />
        </div>
      </div>
      <ProblemMessage error={replace.error} />
      {editing ? (
        <CaptionEditor videoId={videoId} track={track} onSaved={onSaved} onClose={() => setEditing(false)} />
      ) : null}
    </li>
  );
}
