import { X } from "lucide-react";
import { useTranslation } from "react-i18next";
import { SignInPrompt } from "../components/SignInPrompt";
import { ResumeUpload } from "../components/upload/ResumeUpload";
import { UploadForm } from "../components/upload/UploadForm";
import { UploadProblem } from "../components/upload/UploadProblem";
import { UploadProgress } from "../components/upload/UploadProgress";
import { useSession } from "../lib/session";
import { useUpload } from "../lib/useUpload";
import { Button, Spinner } from "../ui";
import "../studio.css";
import "../styles/studio-upload.css";

/**
 * Upload a video: drag and drop (or pick) a file, fill in its metadata, watch the bytes go. A reload
 * in the middle leaves a note in localStorage; coming back, the page asks for the same file and
 * sends only the parts storage does not have yet.
 */
export function UploadPage() {
  const { t } = useTranslation("upload");
  const signedIn = useSession() !== null;
  const upload = useUpload();
  const { pending, uploading } = upload;
  if (!signedIn) return <SignInPrompt className="studio" title={t("title")} to={t("signInTo")} />;
  return (
    <section className="studio upload-page" aria-labelledby="upload-title">
      <header className="studio-head">
        <div>
          <h1 id="upload-title">{t("title")}</h1>
          <p className="muted">{t("subtitle")}</p>
        </div>
      </header>
      {pending && !uploading ? (
        <ResumeUpload
          pending={pending}
          onResume={(file) => upload.resume(file, pending)}
          onDiscard={() => void upload.discard(pending)}
        />
      ) : null}
      {upload.progress || uploading ? (
        <div className="studio-card upload-running">
          {upload.progress ? (
            <UploadProgress progress={upload.progress} />
          ) : (
            <Spinner label={t("progress.starting")} />
          )}
          {uploading ? (
            <Button variant="ghost" size="sm" icon={<X />} onClick={upload.cancel}>
              {t("cancel")}
            </Button>
          ) : null}
        </div>
      ) : null}
      <UploadProblem error={upload.error} />
      <UploadForm onUpload={upload.start} onError={upload.setError} hidden={Boolean(pending) || uploading} />
    </section>
  );
}
