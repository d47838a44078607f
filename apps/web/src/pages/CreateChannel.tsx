import { Link, useNavigate } from "react-router";
import { api, must } from "../api/client";
import { Field } from "../components/form/Field";
import { Form } from "../components/form/Form";
import { useFormFields } from "../components/form/useFormFields";
import { ProblemMessage } from "../components/ProblemMessage";
import { SignInPrompt } from "../components/SignInPrompt";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import "../studio.css";

const TITLE = "Create your channel";

/**
 * Become a creator: create the account's channel. POST /api/v1/me/channel grants the `creator`
 * role in the same batch, and roles are read from D1 on every request, so uploading works at once
 * with the same token.
 */
export function CreateChannelPage() {
  const signedIn = useSession() !== null;
  const me = useLoad(() => must(api.GET("/api/v1/me")), [signedIn], { enabled: signedIn });

  if (!signedIn)
    return (
      <SignInPrompt
        className="studio"
        title={TITLE}
        to={
          <>
            or <Link to="/signup">sign up</Link> to create a channel.
          </>
        }
      />
    );

  const existing = me.data?.channelId;
  return (
    <section className="studio">
      <h1>{TITLE}</h1>
      <ProblemMessage error={me.error} />
      {existing ? (
        <p>
          You already have a channel. <Link to={`/channel/${existing}`}>View it</Link>,{" "}
          <Link to="/studio/upload">upload a video</Link> or go to <Link to="/studio">your studio</Link>.
        </p>
      ) : (
        <ChannelForm />
      )}
    </section>
  );
}

function ChannelForm() {
  const navigate = useNavigate();
  const { values, field } = useFormFields({ handle: "", name: "", description: "" });
  return (
    <Form
      className="studio-form"
      submitLabel="Create channel"
      busyLabel="Creating…"
      primary={false}
      onSubmit={async () => {
        await must(
          api.POST("/api/v1/me/channel", {
            body: {
              handle: values.handle.trim().toLowerCase(),
              name: values.name.trim(),
              description: values.description.trim(),
            },
          }),
        );
        navigate("/studio/upload");
      }}
    >
      <p>A channel is where your videos live. Creating one makes you a creator: you can upload at once.</p>
      <Field
        label="Handle"
        name="handle"
        required
        pattern="[a-z0-9_]{3,30}"
        title="3–30 lower-case letters, digits or _"
        autoComplete="off"
        hint="3–30 lower-case letters, digits or _; people find you as @handle."
        {...field("handle")}
      />
      <Field label="Channel name" name="name" required maxLength={100} {...field("name")} />
      <Field label="Description" name="description" rows={3} {...field("description")} />
    </Form>
  );
}
