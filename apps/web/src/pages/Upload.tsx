import { type DragEvent, type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, must } from "../api/client";
import { ProblemMessage } from "../components/ProblemMessage";
import { StudioClassification } from "../components/StudioClassification";
import { useSession } from "../lib/session";
import { type Category, formatBytes, type Maturity, parseTags, type Visibility } from "../lib/studio";
import {
  type PendingUpload,
  pendingUpload,
  resumeUpload,
  type UploadProgress,
  uploadNew,
} from "../lib/upload";
import "../studio.css";

/** The bar: bytes and parts, and the percent as text. */
function UploadProgressBar({ progress }: { progress: UploadProgress }) {
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

/**
 * Upload a video: drag and drop (or pick) a file, fill in its metadata, watch the bytes go. A reload
 * in the middle leaves a note in localStorage; coming back, the page asks for the same file and
 * sends only the parts storage does not have yet.
 */
export function UploadPage() {
  const signedIn = useSession() !== null;
  const navigate = useNavigate();
  const [pending, setPending] = useState<PendingUpload | null>(() => pendingUpload.get());
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [tags, setTags] = useState("");
  const [visibility, setVisibility] = useState<Visibility>("public");
  const [maturity, setMaturity] = useState<Maturity>("adult");
  const [categoryId, setCategoryId] = useState("");
  const [categories, setCategories] = useState<Category[]>([]);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    must(api.GET("/api/v1/categories"))
      .then((list) => setCategories(list.items))
      .catch(() => setCategories([])); // categories are optional: the form works without them
  }, []);
  useEffect(() => () => abort.current?.abort(), []);

  if (!signedIn)
    return (
      <section className="studio">
        <h1>Upload a video</h1>
        <p>
          <Link to="/signin">Sign in</Link> to upload.
        </p>
      </section>
    );

  const choose = (f: File | null | undefined) => {
    if (!f) return;
    setFile(f);
    setError(null);
    if (!title) setTitle(f.name.replace(/\.[^.]+$/, "").slice(0, 100));
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files[0]);
  };

  async function run(work: (signal: AbortSignal) => Promise<string>) {
    const controller = new AbortController();
    abort.current = controller;
    setUploading(true);
    setError(null);
    try {
      const videoId = await work(controller.signal);
      setPending(null);
      navigate(`/studio/videos/${videoId}`);
    } catch (err) {
      if (!controller.signal.aborted) setError(err);
      setPending(pendingUpload.get());
    } finally {
      setUploading(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) {
      setError(new Error("Choose a video file first"));
      return;
    }
    const chosen = file;
    void run((signal) =>
      uploadNew(
        chosen,
        {
          title: title.trim(),
          description,
          tags: parseTags(tags),
          visibility,
          maturity,
          categoryId: categoryId || null,
        },
        setProgress,
        signal,
      ),
    );
  }

  function resumeWith(f: File | undefined, p: PendingUpload) {
    if (!f) return;
    if (!pendingUpload.matches(p, f)) {
      setError(new Error(`That is not ${p.name} (${formatBytes(p.size)}): pick the same file to continue.`));
      return;
    }
    void run(async (signal) => {
      await resumeUpload(p.videoId, f, setProgress, signal);
      return p.videoId;
    });
  }

  async function discard(p: PendingUpload) {
    setError(null);
    try {
      // Storage drops the parts; the video is marked failed ("upload aborted") and can be deleted.
      await must(api.DELETE("/api/v1/videos/{videoId}/upload", { params: { path: { videoId: p.videoId } } }));
    } catch {
      // Already gone or finished: forgetting it locally is all that is left to do.
    }
    pendingUpload.clear();
    setPending(null);
  }

  return (
    <section className="studio">
      <h1>Upload a video</h1>
      {pending && !uploading ? (
        <section className="upload-resume" aria-label="Interrupted upload">
          <p>
            The upload of <strong>{pending.name}</strong> ({formatBytes(pending.size)}, “{pending.title}”) was
            interrupted. Pick the same file again to continue where it stopped.
          </p>
          <label className="button-like">
            Pick the same file to resume
            <input type="file" accept="video/*" onChange={(e) => resumeWith(e.target.files?.[0], pending)} />
          </label>{" "}
          <button type="button" onClick={() => void discard(pending)}>
            Discard it
          </button>
        </section>
      ) : null}

      {progress ? <UploadProgressBar progress={progress} /> : null}
      <ProblemMessage error={error} />
      {uploading ? (
        <button type="button" onClick={() => abort.current?.abort()}>
          Cancel upload
        </button>
      ) : null}

      {!pending && !uploading ? (
        <form className="studio-form" onSubmit={submit}>
          {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target; the file input inside is the keyboard path */}
          <div
            className={`drop-zone${dragging ? " drop-zone-active" : ""}`}
            data-testid="drop-zone"
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <p>{file ? `${file.name} · ${formatBytes(file.size)}` : "Drag and drop a video file here, or"}</p>
            <label className="button-like">
              Choose a video file
              <input type="file" accept="video/*" onChange={(e) => choose(e.target.files?.[0])} />
            </label>
          </div>
          <label>
            Title
            <input required maxLength={100} value={title} onChange={(e) => setTitle(e.target.value)} />
          </label>
          <label>
            Description
            <textarea
              rows={4}
              maxLength={5000}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </label>
          <label>
            Tags (comma separated)
            <input
              value={tags}
              onChange={(e) => setTags(e.target.value)}
              placeholder="music, live, tutorial"
            />
          </label>
          <StudioClassification
            value={{ visibility, categoryId, maturity }}
            categories={categories}
            onChange={(next) => {
              if (next.visibility !== undefined) setVisibility(next.visibility);
              if (next.categoryId !== undefined) setCategoryId(next.categoryId);
              if (next.maturity !== undefined) setMaturity(next.maturity);
            }}
          />
          <button type="submit" disabled={!file}>
            Upload
          </button>
        </form>
      ) : null}
    </section>
  );
}
