import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { api, must } from "../api/client";
import { useSession } from "../lib/session";
import { ProblemMessage } from "./ProblemMessage";

type Value = "like" | "dislike";

/** Like / Dislike toggle buttons (aria-pressed) with counts. */
export function Reactions({ videoId, likes: initialLikes }: { videoId: string; likes: number }) {
  const s = useSession();
  const navigate = useNavigate();
  const [mine, setMine] = useState<Value | null>(null);
  const [likes, setLikes] = useState(initialLikes);
  const [dislikes, setDislikes] = useState<number | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const path = { videoId };

  // biome-ignore lint/correctness/useExhaustiveDependencies: another profile has its own reaction
  useEffect(() => {
    let live = true;
    must(api.GET("/api/v1/videos/{videoId}/reactions", { params: { path: { videoId } } })).then(
      (state) => {
        if (!live) return;
        setMine(state.mine);
        setLikes(state.likes);
        setDislikes(state.dislikes);
      },
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [videoId, s?.profileId]);

  async function toggle(value: Value) {
    if (!s) {
      navigate(`/signin?next=/watch/${videoId}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const state =
        mine === value
          ? await must(api.DELETE("/api/v1/videos/{videoId}/reaction", { params: { path } }))
          : await must(api.PUT("/api/v1/videos/{videoId}/reaction", { params: { path }, body: { value } }));
      setMine(state.value);
      setLikes(state.likes);
      setDislikes(state.dislikes);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="row reactions">
      <button type="button" aria-pressed={mine === "like"} disabled={busy} onClick={() => toggle("like")}>
        Like
      </button>
      <span data-testid="like-count">{likes}</span>
      <button
        type="button"
        aria-pressed={mine === "dislike"}
        disabled={busy}
        onClick={() => toggle("dislike")}
      >
        Dislike
      </button>
      {dislikes !== undefined ? <span data-testid="dislike-count">{dislikes}</span> : null}
      <ProblemMessage error={error} />
    </div>
  );
}
