import { useState } from "react";
import { useNavigate } from "react-router";
import { api, must } from "../../api/client";
import type { Video } from "../../lib/studio";
import { useAction } from "../../lib/useAction";
import { ProblemMessage } from "../ProblemMessage";

/** Deleting a video for good, after a confirmation that says what goes with it. */
export function DeleteVideo({ video }: { video: Video }) {
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const remove = useAction(async () => {
    await must(api.DELETE("/api/v1/videos/{videoId}", { params: { path: { videoId: video.id } } }));
    navigate("/studio");
  });
  return (
    <section className="studio-card studio-danger" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete</h2>
      <ProblemMessage error={remove.error} />
      {confirming ? (
        <div role="alertdialog" aria-labelledby="delete-confirm">
          <p id="delete-confirm">
            Delete “{video.title}” for good? Its files, likes and comments go with it. This cannot be undone.
          </p>
          <div className="studio-row">
            <button type="button" className="danger" disabled={remove.busy} onClick={() => void remove.run()}>
              Yes, delete this video
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete video
        </button>
      )}
    </section>
  );
}
