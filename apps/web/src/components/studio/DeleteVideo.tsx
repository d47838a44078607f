import { Trash2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api, must } from "../../api/client";
import type { Video } from "../../lib/studio";
import { Button, ConfirmDialog, toast } from "../../ui";

/** Deleting a video for good, after a confirmation that says what goes with it. */
export function DeleteVideo({ video }: { video: Video }) {
  const { t } = useTranslation("studio");
  const navigate = useNavigate();
  return (
    <section className="studio-card studio-danger" aria-labelledby="delete-heading">
      <h2 id="delete-heading">{t("delete.heading")}</h2>
      <p className="muted">{t("delete.explain")}</p>
      <ConfirmDialog
        title={t("delete.confirmTitle")}
        description={t("delete.confirmText", { title: video.title })}
        confirmLabel={t("delete.confirm")}
        cancelLabel={t("delete.keep")}
        tone="danger"
        onConfirm={async () => {
          await must(api.DELETE("/api/v1/videos/{videoId}", { params: { path: { videoId: video.id } } }));
          toast({ title: t("delete.done", { title: video.title }) });
          navigate("/studio");
        }}
        trigger={
          <Button variant="danger" icon={<Trash2 />}>
            {t("delete.button")}
          </Button>
        }
      />
    </section>
  );
}
