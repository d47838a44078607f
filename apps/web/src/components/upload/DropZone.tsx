import { CloudUpload, FileVideo } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { MAX_UPLOAD_BYTES } from "../../lib/upload";
import { FilePicker } from "./FilePicker";

/**
 * Where a video file goes: dropped on the zone, or chosen with the button inside it (the keyboard
 * and screen-reader path). Once a file is there, it shows which one and offers another.
 */
export function DropZone({ file, onPick }: { file: File | null; onPick: (file: File | undefined) => void }) {
  const { t } = useTranslation("upload");
  const f = useFormat();
  const [dragging, setDragging] = useState(false);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the drop target; the file input inside is the keyboard path
    <div
      className={`upload-drop-zone${dragging ? " upload-drop-zone--active" : ""}${file ? " upload-drop-zone--chosen" : ""}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        onPick(e.dataTransfer.files[0]);
      }}
    >
      <span className="upload-drop-icon" aria-hidden="true">
        {file ? <FileVideo /> : <CloudUpload />}
      </span>
      {file ? (
        <p className="upload-drop-title">
          <strong>{file.name}</strong>
          <span className="muted">{f.fileSize(file.size)}</span>
        </p>
      ) : (
        <p className="upload-drop-title">
          <strong>{t("drop.title")}</strong>
          <span className="muted">{t("drop.or")}</span>
        </p>
      )}
      <FilePicker label={t("drop.choose")} onPick={onPick} variant={file ? "secondary" : "primary"} />
      <p className="upload-drop-hint muted">{t("drop.accepts", { max: f.fileSize(MAX_UPLOAD_BYTES) })}</p>
    </div>
  );
}
