import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api, must } from "../api/client";
import { toast } from "../ui";
import {
  type PendingUpload,
  pendingUpload,
  resumeUpload,
  UploadError,
  type UploadProgress,
  uploadNew,
  type VideoCreate,
} from "./upload";

/**
 * The upload page's state: the interrupted upload remembered from before a reload, the progress
 * of the one running, its error, and the actions (start, resume, discard, cancel). A finished
 * upload says so in a toast and opens the video's studio page.
 */
export function useUpload() {
  const { t } = useTranslation("upload");
  const navigate = useNavigate();
  const [pending, setPending] = useState<PendingUpload | null>(() => pendingUpload.get());
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  async function run(work: (signal: AbortSignal) => Promise<string>) {
    const controller = new AbortController();
    abort.current = controller;
    setUploading(true);
    setError(null);
    try {
      const videoId = await work(controller.signal);
      setPending(null);
      toast({ title: t("done.title"), description: t("done.description"), tone: "success" });
      navigate(`/studio/videos/${videoId}`);
    } catch (err) {
      if (!controller.signal.aborted) setError(err);
      setPending(pendingUpload.get());
    } finally {
      setUploading(false);
    }
  }

  return {
    pending,
    progress,
    uploading,
    error,
    setError,
    start(file: File, meta: Omit<VideoCreate, "upload">) {
      void run((signal) => uploadNew(file, meta, setProgress, signal));
    },
    resume(file: File, p: PendingUpload) {
      if (!pendingUpload.matches(p, file)) {
        setError(
          new UploadError(
            "notSameFile",
            { name: p.name, size: p.size },
            `That is not ${p.name}: pick the same file to continue.`,
          ),
        );
        return;
      }
      void run(async (signal) => {
        await resumeUpload(p.videoId, file, setProgress, signal);
        return p.videoId;
      });
    },
    async discard(p: PendingUpload) {
      setError(null);
      try {
        // Storage drops the parts; the video is marked failed ("upload aborted") and can be deleted.
        await must(
          api.DELETE("/api/v1/videos/{videoId}/upload", { params: { path: { videoId: p.videoId } } }),
        );
      } catch {
        // Already gone or finished: forgetting it locally is all that is left to do.
      }
      pendingUpload.clear();
      setPending(null);
    },
    cancel() {
      abort.current?.abort();
    },
  };
}
