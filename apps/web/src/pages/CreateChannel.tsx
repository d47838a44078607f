import { type FormEvent, useEffect, useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, must } from "../api/client";
import { ProblemMessage } from "../components/ProblemMessage";
import { useSession } from "../lib/session";
import "../studio.css";

/**
 * Become a creator: create the account's channel. POST /api/v1/me/channel grants the `creator`
 * role in the same batch, and roles are read from D1 on every request, so uploading works at once
 * with the same token.
 */
export function CreateChannelPage() {
  const signedIn = useSession() !== null;
  const navigate = useNavigate();
  const [existing, setExisting] = useState<string | null>(null);
  const [handle, setHandle] = useState("");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!signedIn) return;
    must(api.GET("/api/v1/me"))
      .then((me) => setExisting(me.channelId))
      .catch(setError);
  }, [signedIn]);

  if (!signedIn)
    return (
      <section className="studio">
        <h1>Create your channel</h1>
        <p>
          <Link to="/signin">Sign in</Link> or <Link to="/signup">sign up</Link> to create a channel.
        </p>
      </section>
    );

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await must(
        api.POST("/api/v1/me/channel", {
          body: { handle: handle.trim().toLowerCase(), name: name.trim(), description: description.trim() },
        }),
      );
      navigate("/studio/upload");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="studio">
      <h1>Create your channel</h1>
      {existing ? (
        <p>
          You already have a channel. <Link to={`/channel/${existing}`}>View it</Link>,{" "}
          <Link to="/studio/upload">upload a video</Link> or go to <Link to="/studio">your studio</Link>.
        </p>
      ) : (
        <form className="studio-form" onSubmit={submit}>
          <p>
            A channel is where your videos live. Creating one makes you a creator: you can upload at once.
          </p>
          <label>
            Handle
            <input
              name="handle"
              required
              pattern="[a-z0-9_]{3,30}"
              title="3–30 lower-case letters, digits or _"
              autoComplete="off"
              value={handle}
              onChange={(e) => setHandle(e.target.value)}
              aria-describedby="handle-help"
            />
          </label>
          <small id="handle-help">3–30 lower-case letters, digits or _; people find you as @handle.</small>
          <label>
            Channel name
            <input
              name="name"
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label>
            Description
            <textarea
              name="description"
              rows={3}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </label>
          <ProblemMessage error={error} />
          <button type="submit" disabled={busy}>
            {busy ? "Creating…" : "Create channel"}
          </button>
        </form>
      )}
    </section>
  );
}
