import { type FormEvent, useCallback, useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, must } from "../api/client";
import type { components } from "../api/schema";
import { ProblemMessage } from "../components/ProblemMessage";
import { StudioChart } from "../components/StudioChart";
import { StudioClassification } from "../components/StudioClassification";
import {
  type Category,
  type Comment,
  type CommentsMode,
  isProcessing,
  type Maturity,
  parseTags,
  statusLabel,
  type Video,
  type Visibility,
} from "../lib/studio";
import { ProcessingProgress } from "./Studio";
import "../studio.css";

type Stats = components["schemas"]["ReactionStats"];
const POLL_MS = 2000;

/** One video in the studio: metadata, visibility, deletion, comment moderation, like stats. */
export function StudioVideoPage() {
  const { videoId = "" } = useParams();
  const [video, setVideo] = useState<Video | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setVideo(await must(api.GET("/api/v1/videos/{videoId}", { params: { path: { videoId } } })));
    } catch (err) {
      setError(err);
    }
  }, [videoId]);

  useEffect(() => {
    void load();
  }, [load]);

  const processing = video ? isProcessing(video) : false;
  useEffect(() => {
    if (!processing) return;
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [processing, load]);

  if (!video)
    return (
      <section className="studio">
        <p>
          <Link to="/studio">← Studio</Link>
        </p>
        {error ? <ProblemMessage error={error} /> : <p>Loading…</p>}
      </section>
    );

  return (
    <section className="studio">
      <p>
        <Link to="/studio">← Studio</Link>
      </p>
      <h1>{video.title}</h1>
      <p data-testid="video-status" data-status={video.status}>
        {statusLabel(video.status)}
        {processing ? (
          <>
            {" "}
            <ProcessingProgress video={video} />
          </>
        ) : null}
        {video.failureReason ? ` — ${video.failureReason}` : null}
        {video.playable ? (
          <>
            {" · "}
            <Link to={`/watch/${video.id}`}>Watch</Link>
          </>
        ) : null}
      </p>
      <p className="studio-sub">
        {video.viewCount} views · {video.likeCount} likes · {video.dislikeCount} dislikes ·{" "}
        {video.commentCount} comments
      </p>
      <ProblemMessage error={error} />
      <EditForm video={video} onSaved={setVideo} />
      <LikeStats videoId={video.id} />
      <Moderation videoId={video.id} />
      <DeleteVideo video={video} />
    </section>
  );
}

function EditForm({ video, onSaved }: { video: Video; onSaved: (v: Video) => void }) {
  const [title, setTitle] = useState(video.title);
  const [description, setDescription] = useState(video.description);
  const [tags, setTags] = useState(video.tags.join(", "));
  const [visibility, setVisibility] = useState<Visibility>(video.visibility);
  const [maturity, setMaturity] = useState<Maturity>(video.maturity);
  const [categoryId, setCategoryId] = useState(video.categoryId ?? "");
  const [categories, setCategories] = useState<Category[]>([]);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    must(api.GET("/api/v1/categories"))
      .then((list) => setCategories(list.items))
      .catch(() => setCategories([]));
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setSaved(false);
    setError(null);
    try {
      const next = await must(
        api.PATCH("/api/v1/videos/{videoId}", {
          params: { path: { videoId: video.id } },
          body: {
            title: title.trim(),
            description,
            tags: parseTags(tags),
            visibility,
            maturity,
            categoryId: categoryId || null,
          },
        }),
      );
      onSaved(next);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="studio-form studio-card" onSubmit={submit} aria-labelledby="edit-heading">
      <h2 id="edit-heading">Details</h2>
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
        <input value={tags} onChange={(e) => setTags(e.target.value)} />
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
      <ProblemMessage error={error} />
      <div className="studio-row">
        <button type="submit" disabled={busy}>
          Save changes
        </button>
        {saved ? <span role="status">Saved</span> : null}
      </div>
    </form>
  );
}

function LikeStats({ videoId }: { videoId: string }) {
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    must(
      api.GET("/api/v1/videos/{videoId}/reactions/stats", {
        params: { path: { videoId }, query: { days: 30 } },
      }),
    )
      .then(setStats)
      .catch(setError);
  }, [videoId]);
  return (
    <section className="studio-card" aria-labelledby="stats-heading">
      <h2 id="stats-heading">Likes, last 30 days</h2>
      <ProblemMessage error={error} />
      {stats ? (
        <>
          <p data-testid="like-totals">
            {stats.totals.likes} likes · {stats.totals.dislikes} dislikes · net {stats.totals.net}
          </p>
          <StudioChart days={stats.days} />
        </>
      ) : null}
    </section>
  );
}

const MODES: { value: CommentsMode; label: string }[] = [
  { value: "open", label: "Open: comments publish at once" },
  { value: "hold", label: "Hold: I approve each comment" },
  { value: "off", label: "Off: no comments" },
];

function Moderation({ videoId }: { videoId: string }) {
  const [comments, setComments] = useState<Comment[]>([]);
  const [mode, setMode] = useState<CommentsMode | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(
    async (cursor?: string) => {
      try {
        const page = await must(
          api.GET("/api/v1/videos/{videoId}/comments", {
            params: {
              path: { videoId },
              query: { sort: "newest", limit: 50, ...(cursor ? { cursor } : {}) },
            },
          }),
        );
        setMode(page.commentsMode);
        setComments((old) => (cursor ? [...old, ...page.items] : page.items));
        setNextCursor(page.nextCursor);
      } catch (err) {
        setError(err);
      }
    },
    [videoId],
  );
  useEffect(() => {
    void load();
  }, [load]);

  async function act(work: () => Promise<unknown>) {
    setError(null);
    try {
      await work();
      await load();
    } catch (err) {
      setError(err);
    }
  }

  const setSettings = (m: CommentsMode) =>
    act(async () => {
      const next = await must(
        api.PUT("/api/v1/videos/{videoId}/comment-settings", {
          params: { path: { videoId } },
          body: { mode: m },
        }),
      );
      setMode(next.mode);
    });
  const approve = (commentId: string) =>
    act(() => must(api.POST("/api/v1/comments/{commentId}/approve", { params: { path: { commentId } } })));
  const remove = (commentId: string) =>
    act(() => must(api.DELETE("/api/v1/comments/{commentId}", { params: { path: { commentId } } })));
  const pin = (commentId: string | null) =>
    act(() =>
      must(
        api.PUT("/api/v1/videos/{videoId}/pinned-comment", {
          params: { path: { videoId } },
          body: { commentId },
        }),
      ),
    );

  const held = comments.filter((c) => c.status === "held");
  const published = comments.filter((c) => c.status !== "held");

  return (
    <section className="studio-card" aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments</h2>
      <fieldset>
        <legend>Who may comment</legend>
        {MODES.map((m) => (
          <label key={m.value} className="studio-radio">
            <input
              type="radio"
              name="comments-mode"
              value={m.value}
              checked={mode === m.value}
              onChange={() => void setSettings(m.value)}
            />
            {m.label}
          </label>
        ))}
      </fieldset>
      <ProblemMessage error={error} />
      <h3>Held for review ({held.length})</h3>
      {held.length === 0 ? <p className="studio-sub">Nothing waiting.</p> : null}
      <ul className="studio-comments">
        {held.map((c) => (
          <li key={c.id} data-testid="held-comment">
            <CommentText comment={c} />
            {c.heldReason ? <span className="studio-sub"> ({c.heldReason})</span> : null}
            <div className="studio-row">
              <button type="button" onClick={() => void approve(c.id)}>
                Approve
              </button>
              <button type="button" onClick={() => void remove(c.id)}>
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      <h3>Published</h3>
      {published.length === 0 ? <p className="studio-sub">No comments yet.</p> : null}
      <ul className="studio-comments">
        {published.map((c) => (
          <li key={c.id} data-testid="studio-comment">
            <CommentText comment={c} />
            {c.status === "published" ? (
              <div className="studio-row">
                {c.parentId === null ? (
                  <button
                    type="button"
                    aria-pressed={c.pinned}
                    onClick={() => void pin(c.pinned ? null : c.id)}
                  >
                    {c.pinned ? "Unpin" : "Pin"}
                  </button>
                ) : null}
                <button type="button" onClick={() => void remove(c.id)}>
                  Remove
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {nextCursor ? (
        <button type="button" onClick={() => void load(nextCursor)}>
          More comments
        </button>
      ) : null}
    </section>
  );
}

function CommentText({ comment }: { comment: Comment }) {
  return (
    <p>
      {comment.pinned ? <strong>📌 Pinned · </strong> : null}
      <strong>{comment.author?.name ?? "removed"}</strong>{" "}
      <span className="studio-sub">{new Date(comment.createdAt).toLocaleString()}</span>
      <br />
      {comment.body ?? <em>removed</em>}
    </p>
  );
}

function DeleteVideo({ video }: { video: Video }) {
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function remove() {
    try {
      await must(api.DELETE("/api/v1/videos/{videoId}", { params: { path: { videoId: video.id } } }));
      navigate("/studio");
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section className="studio-card studio-danger" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete</h2>
      <ProblemMessage error={error} />
      {confirming ? (
        <div role="alertdialog" aria-labelledby="delete-confirm">
          <p id="delete-confirm">
            Delete “{video.title}” for good? Its files, likes and comments go with it. This cannot be undone.
          </p>
          <div className="studio-row">
            <button type="button" className="danger" onClick={() => void remove()}>
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
