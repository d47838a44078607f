import { Upload } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { UploadError, type VideoCreate } from "../../lib/upload";
import { Button } from "../../ui";
import { metadataBody, useVideoMetadata, VideoMetadataFields } from "../studio/VideoMetadataFields";
import { DropZone } from "./DropZone";

/** The new upload: a file (dropped or picked) and its metadata; the title starts as the file name. */
export function UploadForm({
  onUpload,
  onError,
  hidden,
}: {
  onUpload: (file: File, meta: Omit<VideoCreate, "upload">) => void;
  onError: (error: unknown) => void;
  /** Hidden, not gone, while an upload runs: a failed one leaves the form as it was. */
  hidden: boolean;
}) {
  const { t } = useTranslation("upload");
  const [file, setFile] = useState<File | null>(null);
  const [metadata, setMetadata] = useVideoMetadata();

  const choose = (f: File | null | undefined) => {
    if (!f) return;
    setFile(f);
    onError(null);
    setMetadata((m) => (m.title ? m : { ...m, title: f.name.replace(/\.[^.]+$/, "").slice(0, 100) }));
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    if (file) onUpload(file, metadataBody(metadata));
    else onError(new UploadError("noFile", {}, "Choose a video file first"));
  }

  return (
    <form
      className="studio-form upload-form"
      onSubmit={submit}
      hidden={hidden}
      aria-labelledby="upload-title"
    >
      <DropZone file={file} onPick={choose} />
      <section className="studio-card upload-details" aria-labelledby="upload-details-heading">
        <h2 id="upload-details-heading">{t("details.heading")}</h2>
        <p className="muted">{t("details.hint")}</p>
        <VideoMetadataFields value={metadata} onChange={setMetadata} />
      </section>
      <div className="studio-actions">
        <Button type="submit" variant="primary" size="lg" icon={<Upload />} disabled={!file}>
          {t("submit")}
        </Button>
        {file ? null : <span className="muted">{t("submitHint")}</span>}
      </div>
    </form>
  );
}
