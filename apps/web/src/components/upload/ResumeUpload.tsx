import { formatBytes } from "../../lib/studio";
import type { PendingUpload } from "../../lib/upload";
import { FilePicker } from "./FilePicker";

/** The upload a reload interrupted: pick the same file to go on, or discard it. */
export function ResumeUpload({
  pending,
  onResume,
  onDiscard,
}: {
  pending: PendingUpload;
  onResume: (file: File) => void;
  onDiscard: () => void;
}) {
  return (
    <section className="upload-resume" aria-label="Interrupted upload">
      <p>
        The upload of <strong>{pending.name}</strong> ({formatBytes(pending.size)}, “{pending.title}”) was
        interrupted. Pick the same file again to continue where it stopped.
      </p>
      <FilePicker label="Pick the same file to resume" onPick={(f) => f && onResume(f)} />{" "}
      <button type="button" onClick={onDiscard}>
        Discard it
      </button>
    </section>
  );
}
