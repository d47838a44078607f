import { ThumbsDown, ThumbsUp } from "lucide-react";
import { useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api, must } from "../api/client";
import { useFormat } from "../lib/format";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import { Button, toast } from "../ui";

type Value = "like" | "dislike";
type State = { mine: Value | null; likes: number; dislikes: number };

/** What the counts become when `mine` changes from `before.mine` to `next`, before the API answers. */
function predicted(before: State, next: Value | null): State {
  const count = (value: Value, n: number) => n + (next === value ? 1 : 0) - (before.mine === value ? 1 : 0);
  return { mine: next, likes: count("like", before.likes), dislikes: count("dislike", before.dislikes) };
}

/**
 * Like / Dislike toggle buttons (aria-pressed) with counts, changed optimistically: the button and
 * count change at once and go back (with a toast) if the API says no. Clicks while a change is on
 * its way are ignored, so a double click never counts twice.
 */
export function Reactions({
  videoId,
  likes: initialLikes,
  dislikes: initialDislikes = 0,
}: {
  videoId: string;
  likes: number;
  dislikes?: number;
}) {
  const { t } = useTranslation("watch");
  const f = useFormat();
  const s = useSession();
  const navigate = useNavigate();
  const path = { videoId };
  // Another profile has its own reaction.
  const state = useLoad(
    () => must(api.GET("/api/v1/videos/{videoId}/reactions", { params: { path } })),
    [videoId, s?.profileId],
  );
  const inFlight = useRef(false);
  const id = useId();
  const loaded: State | undefined = state.data && { ...state.data, dislikes: state.data.dislikes ?? 0 };
  const current: State = loaded ?? { mine: null, likes: initialLikes, dislikes: initialDislikes };

  async function toggle(value: Value) {
    if (!s) {
      navigate(`/signin?next=/watch/${videoId}`);
      return;
    }
    if (inFlight.current || !loaded) return;
    inFlight.current = true;
    const before = loaded;
    const next = before.mine === value ? null : value;
    state.setData(predicted(before, next));
    try {
      const answer =
        next === null
          ? await must(api.DELETE("/api/v1/videos/{videoId}/reaction", { params: { path } }))
          : await must(api.PUT("/api/v1/videos/{videoId}/reaction", { params: { path }, body: { value } }));
      state.setData({ mine: answer.value, likes: answer.likes, dislikes: answer.dislikes });
      if (next === "like") toast({ title: t("reactions.liked") });
    } catch (err) {
      state.setData(before);
      toast({
        tone: "danger",
        title: t("reactions.failed"),
        description: err instanceof Error ? err.message : undefined,
      });
    } finally {
      inFlight.current = false;
    }
  }

  return (
    <fieldset className="reactions">
      <legend className="visually-hidden">{t("reactions.label")}</legend>
      <Button
        className="reaction"
        icon={<ThumbsUp />}
        aria-pressed={current.mine === "like"}
        aria-describedby={`${id}-like`}
        onClick={() => void toggle("like")}
      >
        <span className="visually-hidden">{t("reactions.like")}</span>
        <span aria-hidden="true" className="reaction-count" id={`${id}-like`} data-testid="like-count">
          {f.number(current.likes)}
        </span>
      </Button>
      <Button
        className="reaction"
        icon={<ThumbsDown />}
        aria-pressed={current.mine === "dislike"}
        aria-describedby={`${id}-dislike`}
        onClick={() => void toggle("dislike")}
      >
        <span className="visually-hidden">{t("reactions.dislike")}</span>
        <span aria-hidden="true" className="reaction-count" id={`${id}-dislike`} data-testid="dislike-count">
          {f.number(current.dislikes)}
        </span>
      </Button>
    </fieldset>
  );
}
