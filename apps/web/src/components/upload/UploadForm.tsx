import { type FormEvent, useState } from "react";
import { formatBytes } from "../../lib/studio";
import type { VideoCreate } from "../../lib/upload";
import { metadataBody, useVideoMetadata, VideoMetadataFields } from "../studio/VideoMetadataFields";
import { FilePicker } from "./FilePicker";

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
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
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
    else onError(new Error("Choose a video file first"));
  }

  return (
    <form className="studio-form" onSubmit={submit} hidden={hidden}>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target; the file input inside is the keyboard path */}
      <div
        className={`drop-zone${dragging ? " drop-zone-active" : ""}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          choose(e.dataTransfer.files[0]);
        }}
      >
        <p>{file ? `${file.name} · ${formatBytes(file.size)}` : "Drag and drop a video file here, or"}</p>
        <FilePicker label="Choose a video file" onPick={choose} />
      </div>
      <VideoMetadataFields value={metadata} onChange={setMetadata} />
      <button type="submit" disabled={!file}>
        Upload
      </button>
    </form>
  );
}
