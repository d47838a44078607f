import { api, must } from "../../api/client";
import type { Video } from "../../lib/studio";
import { Form } from "../form/Form";
import { metadataBody, useVideoMetadata, VideoMetadataFields } from "./VideoMetadataFields";

/** The studio's edit form for a video's details (PATCH /videos/{id}). */
export function VideoDetailsForm({ video, onSaved }: { video: Video; onSaved: (v: Video) => void }) {
  const [metadata, setMetadata] = useVideoMetadata(video);
  return (
    <Form
      className="studio-form studio-card"
      rowClassName="studio-row"
      aria-labelledby="edit-heading"
      submitLabel="Save changes"
      primary={false}
      onSubmit={async () => {
        onSaved(
          await must(
            api.PATCH("/api/v1/videos/{videoId}", {
              params: { path: { videoId: video.id } },
              body: metadataBody(metadata),
            }),
          ),
        );
        return "Saved";
      }}
    >
      <h2 id="edit-heading">Details</h2>
      <VideoMetadataFields value={metadata} onChange={setMetadata} />
    </Form>
  );
}
