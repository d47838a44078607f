import { useNavigate } from "react-router";
import { api, must } from "../api/client";
import { useSession } from "../lib/session";
import { useAction } from "../lib/useAction";
import { useLoad } from "../lib/useLoad";
import { ProblemMessage } from "./ProblemMessage";

type Value = "like" | "dislike";

/** Like / Dislike toggle buttons (aria-pressed) with counts. */
export function Reactions({ videoId, likes: initialLikes }: { videoId: string; likes: number }) {
  const s = useSession();
  const navigate = useNavigate();
  const path = { videoId };
  // Another profile has its own reaction.
  const state = useLoad(
    () => must(api.GET("/api/v1/videos/{videoId}/reactions", { params: { path } })),
    [videoId, s?.profileId],
  );
  const mine = state.data?.mine ?? null;
  const toggle = useAction(async (value: Value) => {
    if (!s) {
      navigate(`/signin?next=/watch/${videoId}`);
      return;
    }
    const next =
      mine === value
        ? await must(api.DELETE("/api/v1/videos/{videoId}/reaction", { params: { path } }))
        : await must(api.PUT("/api/v1/videos/{videoId}/reaction", { params: { path }, body: { value } }));
    state.setData({ mine: next.value, likes: next.likes, dislikes: next.dislikes });
  });

  const button = (value: Value, label: string) => (
    <button
      type="button"
      aria-pressed={mine === value}
      disabled={toggle.busy}
      onClick={() => void toggle.run(value)}
    >
      {label}
    </button>
  );
  return (
    <div className="row reactions">
      {button("like", "Like")}
      <span data-testid="like-count">{state.data?.likes ?? initialLikes}</span>
      {button("dislike", "Dislike")}
      {state.data ? <span data-testid="dislike-count">{state.data.dislikes}</span> : null}
      <ProblemMessage error={state.error ?? toggle.error} />
    </div>
  );
}
