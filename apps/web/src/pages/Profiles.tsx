import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import type { Maturity, Profile } from "../api/types";
import { ProblemMessage } from "../components/ProblemMessage";
import { profilesSnapshot, refreshProfiles, switchProfile, useProfiles } from "../lib/profiles";
import { session, useSession } from "../lib/session";
import { safeNext } from "./SignIn";

const MAX_PROFILES = 5;
const MATURITY_LABEL: Record<Maturity, string> = { kids: "Kids", teen: "Teen", adult: "Adult" };

/** The profile picker after sign-in ("Who's watching?"), and managing profiles. */
export function ProfilesPage() {
  const s = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next")) ?? "/";
  const { items, error: loadError, active } = useProfiles();
  const [managing, setManaging] = useState(false);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (!s)
    return (
      <p>
        <Link to="/signin?next=/profiles">Sign in</Link> to choose a profile.
      </p>
    );

  async function choose(profile: Profile) {
    setError(null);
    try {
      await switchProfile(profile.id);
      navigate(next);
    } catch (err) {
      setError(err);
    }
  }

  const kidsActive = active?.maturity === "kids";
  return (
    <section className="profiles">
      <h1>{managing ? "Manage profiles" : "Who's watching?"}</h1>
      <ProblemMessage error={loadError ?? error} />
      {items === null && !loadError ? <p className="muted">Loading profiles…</p> : null}
      <ul className="profile-list" aria-label="Profiles">
        {(items ?? []).map((p) =>
          managing ? (
            <li key={p.id}>
              <ProfileEditor profile={p} canDelete={(items?.length ?? 0) > 1} onError={setError} />
            </li>
          ) : (
            <li key={p.id}>
              <button
                type="button"
                className="profile-tile"
                data-testid="profile-tile"
                data-maturity={p.maturity}
                aria-current={p.id === s.profileId ? "true" : undefined}
                onClick={() => choose(p)}
              >
                <span className="avatar" aria-hidden="true">
                  {Array.from(p.name)[0]?.toUpperCase() ?? "?"}
                </span>
                <span className="profile-name">{p.name}</span>
                {p.maturity === "kids" ? <span className="badge kids">Kids</span> : null}
                {p.maturity === "teen" ? <span className="badge">Teen</span> : null}
              </button>
            </li>
          ),
        )}
      </ul>
      {/* A kids profile can switch but not manage profiles (the API refuses). */}
      {!kidsActive ? (
        <div className="row">
          <button type="button" onClick={() => setManaging((m) => !m)} aria-pressed={managing}>
            {managing ? "Done" : "Manage profiles"}
          </button>
          {(items?.length ?? 0) < MAX_PROFILES ? (
            <button type="button" onClick={() => setAdding(true)} disabled={adding}>
              Add profile
            </button>
          ) : (
            <span className="muted">An account has at most {MAX_PROFILES} profiles.</span>
          )}
        </div>
      ) : null}
      {adding ? <AddProfile onDone={() => setAdding(false)} /> : null}
    </section>
  );
}

function MaturitySelect({ value, onChange }: { value: Maturity; onChange: (m: Maturity) => void }) {
  return (
    <label>
      Maturity
      <select value={value} onChange={(e) => onChange(e.target.value as Maturity)}>
        {(Object.keys(MATURITY_LABEL) as Maturity[]).map((m) => (
          <option key={m} value={m}>
            {MATURITY_LABEL[m]}
          </option>
        ))}
      </select>
    </label>
  );
}

function AddProfile({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState("");
  const [maturity, setMaturity] = useState<Maturity>("adult");
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await must(api.POST("/api/v1/me/profiles", { body: { name, maturity } }));
      await refreshProfiles();
      onDone();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form onSubmit={submit} className="stack panel" aria-label="New profile">
      <h2>New profile</h2>
      <label>
        Profile name
        <input required maxLength={50} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <MaturitySelect value={maturity} onChange={setMaturity} />
      <ProblemMessage error={error} />
      <div className="row">
        <button type="submit" className="primary">
          Create profile
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ProfileEditor({
  profile,
  canDelete,
  onError,
}: {
  profile: Profile;
  canDelete: boolean;
  onError: (e: unknown) => void;
}) {
  const [name, setName] = useState(profile.name);
  const [maturity, setMaturity] = useState<Maturity>(profile.maturity);
  const [saved, setSaved] = useState(false);
  const path = { profileId: profile.id };

  async function save(e: FormEvent) {
    e.preventDefault();
    onError(null);
    setSaved(false);
    try {
      await must(
        api.PATCH("/api/v1/me/profiles/{profileId}", { params: { path }, body: { name, maturity } }),
      );
      await refreshProfiles();
      setSaved(true);
    } catch (err) {
      onError(err);
    }
  }

  async function remove() {
    if (!window.confirm(`Delete the profile “${profile.name}”? Its history goes with it.`)) return;
    onError(null);
    try {
      await must(api.DELETE("/api/v1/me/profiles/{profileId}", { params: { path } }));
      // Deleting the profile in use: carry on as one that is left.
      if (session.get()?.profileId === profile.id) {
        const other = profilesSnapshot().find((p) => p.id !== profile.id);
        if (other) await switchProfile(other.id);
      }
      await refreshProfiles();
    } catch (err) {
      onError(err);
    }
  }

  return (
    <form onSubmit={save} className="stack panel" aria-label={`Edit ${profile.name}`}>
      <label>
        Profile name
        <input required maxLength={50} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <MaturitySelect value={maturity} onChange={setMaturity} />
      {profile.maturity === "kids" ? <span className="badge kids">Kids</span> : null}
      <div className="row">
        <button type="submit" className="primary">
          Save
        </button>
        <button type="button" className="danger" onClick={remove} disabled={!canDelete}>
          Delete
        </button>
        {saved ? <span role="status">Saved</span> : null}
      </div>
    </form>
  );
}
