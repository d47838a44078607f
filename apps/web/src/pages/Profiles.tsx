import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import type { Maturity, Profile } from "../api/types";
import { Field, SelectField } from "../components/form/Field";
import { Form } from "../components/form/Form";
import { ProblemMessage } from "../components/ProblemMessage";
import { SignInPrompt } from "../components/SignInPrompt";
import { profilesSnapshot, refreshProfiles, switchProfile, useProfiles } from "../lib/profiles";
import { session, useSession } from "../lib/session";
import { MATURITY_OPTIONS } from "../lib/studio";
import { useAction } from "../lib/useAction";
import { safeNext } from "./SignIn";

const MAX_PROFILES = 5;

/** The profile picker after sign-in ("Who's watching?"), and managing profiles. */
export function ProfilesPage() {
  const s = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next")) ?? "/";
  const { items, error: loadError, active } = useProfiles();
  const [managing, setManaging] = useState(false);
  const [adding, setAdding] = useState(false);
  const choose = useAction(async (profile: Profile) => {
    await switchProfile(profile.id);
    navigate(next);
  });

  if (!s) return <SignInPrompt next="/profiles" to="to choose a profile." />;

  const kidsActive = active?.maturity === "kids";
  return (
    <section className="profiles">
      <h1>{managing ? "Manage profiles" : "Who's watching?"}</h1>
      <ProblemMessage error={loadError ?? choose.error} />
      {items === null && !loadError ? <p className="muted">Loading profiles…</p> : null}
      <ul className="profile-list" aria-label="Profiles">
        {(items ?? []).map((p) =>
          managing ? (
            <li key={p.id}>
              <ProfileEditor profile={p} canDelete={(items?.length ?? 0) > 1} />
            </li>
          ) : (
            <li key={p.id}>
              <button
                type="button"
                className="profile-tile"
                data-testid="profile-tile"
                data-maturity={p.maturity}
                aria-current={p.id === s.profileId ? "true" : undefined}
                onClick={() => void choose.run(p)}
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

/** A profile's name and maturity: the fields of both the new-profile and the edit form. */
function ProfileFields(props: {
  name: string;
  setName: (name: string) => void;
  maturity: Maturity;
  setMaturity: (m: Maturity) => void;
}) {
  return (
    <>
      <Field label="Profile name" required maxLength={50} value={props.name} onChange={props.setName} />
      <SelectField
        label="Maturity"
        value={props.maturity}
        options={MATURITY_OPTIONS}
        onChange={props.setMaturity}
      />
    </>
  );
}

function AddProfile({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState("");
  const [maturity, setMaturity] = useState<Maturity>("adult");
  return (
    <Form
      className="stack panel"
      heading="New profile"
      submitLabel="Create profile"
      onSubmit={async () => {
        await must(api.POST("/api/v1/me/profiles", { body: { name, maturity } }));
        await refreshProfiles();
        onDone();
      }}
      actions={
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      }
    >
      <ProfileFields name={name} setName={setName} maturity={maturity} setMaturity={setMaturity} />
    </Form>
  );
}

function ProfileEditor({ profile, canDelete }: { profile: Profile; canDelete: boolean }) {
  const [name, setName] = useState(profile.name);
  const [maturity, setMaturity] = useState<Maturity>(profile.maturity);
  const path = { profileId: profile.id };
  const remove = useAction(async () => {
    if (!window.confirm(`Delete the profile “${profile.name}”? Its history goes with it.`)) return;
    await must(api.DELETE("/api/v1/me/profiles/{profileId}", { params: { path } }));
    // Deleting the profile in use: carry on as one that is left.
    if (session.get()?.profileId === profile.id) {
      const other = profilesSnapshot().find((p) => p.id !== profile.id);
      if (other) await switchProfile(other.id);
    }
    await refreshProfiles();
  });

  return (
    <Form
      className="stack panel"
      aria-label={`Edit ${profile.name}`}
      submitLabel="Save"
      onSubmit={async () => {
        await must(
          api.PATCH("/api/v1/me/profiles/{profileId}", { params: { path }, body: { name, maturity } }),
        );
        await refreshProfiles();
        return "Saved";
      }}
      actions={
        <button type="button" className="danger" onClick={() => void remove.run()} disabled={!canDelete}>
          Delete
        </button>
      }
    >
      <ProfileFields name={name} setName={setName} maturity={maturity} setMaturity={setMaturity} />
      {profile.maturity === "kids" ? <span className="badge kids">Kids</span> : null}
      <ProblemMessage error={remove.error} />
    </Form>
  );
}
