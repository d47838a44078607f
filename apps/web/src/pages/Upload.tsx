import { ProblemMessage } from "../components/ProblemMessage";
import { SignInPrompt } from "../components/SignInPrompt";
import { ResumeUpload } from "../components/upload/ResumeUpload";
import { UploadForm } from "../components/upload/UploadForm";
import { UploadProgress } from "../components/upload/UploadProgress";
import { useSession } from "../lib/session";
import { useUpload } from "../lib/useUpload";
import "../studio.css";

const TITLE = "Upload a video";

/**
 * Upload a video: drag and drop (or pick) a file, fill in its metadata, watch the bytes go. A reload
 * in the middle leaves a note in localStorage; coming back, the page asks for the same file and
 * sends only the parts storage does not have yet.
 */
export function UploadPage() {
  const signedIn = useSession() !== null;
  const upload = useUpload();
  const { pending, uploading } = upload;
  if (!signedIn) return <SignInPrompt className="studio" title={TITLE} to="to upload." />;
  return (
    <section className="studio">
      <h1>{TITLE}</h1>
      {pending && !uploading ? (
        <ResumeUpload
          pending={pending}
          onResume={(file) => upload.resume(file, pending)}
          onDiscard={() => void upload.discard(pending)}
        />
      ) : null}
      {upload.progress ? <UploadProgress progress={upload.progress} /> : null}
      <ProblemMessage error={upload.error} />
      {uploading ? (
        <button type="button" onClick={upload.cancel}>
          Cancel upload
        </button>
      ) : null}
      <UploadForm onUpload={upload.start} onError={upload.setError} hidden={Boolean(pending) || uploading} />
    </section>
  );
}
