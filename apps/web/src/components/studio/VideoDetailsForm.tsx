import { useTranslation } from "react-i18next";
import { api, must } from "../../api/client";
import type { Video } from "../../lib/studio";
import { toast } from "../../ui";
import { Form } from "../form/Form";
import { metadataBody, useVideoMetadata, VideoMetadataFields } from "./VideoMetadataFields";

/** The studio's edit form for a video's details (PATCH /videos/{id}); a toast says it is saved. */
export function VideoDetailsForm({ video, onSaved }: { video: Video; onSaved: (v: Video) => void }) {
  const { t } = useTranslation(["studio", "common"]);
  const [metadata, setMetadata] = useVideoMetadata(video);
  return (
    <Form
      className="studio-form studio-card"
      rowClassName="studio-actions"
      aria-labelledby="edit-heading"
      submitLabel={t("details.save")}
      busyLabel={t("common:status.saving")}
      onSubmit={async () => {
        onSaved(
          await must(
            api.PATCH("/api/v1/videos/{videoId}", {
              params: { path: { videoId: video.id } },
              body: metadataBody(metadata),
            }),
          ),
        );
        toast({ title: t("details.saved"), tone: "success" });
      }}
    >
      <h2 id="edit-heading">{t("details.heading")}</h2>
      <VideoMetadataFields value={metadata} onChange={setMetadata} />
    </Form>
  );
}
