import { formatBytes } from "../../lib/studio";
import type { UploadProgress as Progress } from "../../lib/upload";

/** The bar: bytes and parts, and the percent as text. */
export function UploadProgress({ progress }: { progress: Progress }) {
  const percent = progress.bytesTotal ? Math.floor((progress.bytesDone / progress.bytesTotal) * 100) : 0;
  return (
    <div className="upload-progress" data-testid="upload-progress" data-percent={percent}>
      <progress aria-label="Upload progress" max={progress.bytesTotal || 1} value={progress.bytesDone} />
      <p aria-live="polite">
        <strong>{percent}%</strong> · {formatBytes(progress.bytesDone)} of {formatBytes(progress.bytesTotal)}{" "}
        · parts {progress.partsDone}/{progress.partsTotal}
      </p>
    </div>
  );
}
