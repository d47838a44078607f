import { ChartColumn, Tv, Upload, Users } from "lucide-react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { api, must } from "../api/client";
import { Field } from "../components/form/Field";
import { Form } from "../components/form/Form";
import { useFormFields } from "../components/form/useFormFields";
import { SignInPrompt } from "../components/SignInPrompt";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import { ButtonLink, EmptyState, ErrorState, Skeleton, SkeletonText, toast } from "../ui";
import "../studio.css";
import "../styles/studio-channel.css";

/**
 * Become a creator: create the account's channel. POST /api/v1/me/channel grants the `creator`
 * role in the same batch, and roles are read from D1 on every request, so uploading works at once
 * with the same token.
 */
export function CreateChannelPage() {
  const { t } = useTranslation(["studio", "common"]);
  const signedIn = useSession() !== null;
  const me = useLoad(() => must(api.GET("/api/v1/me")), [signedIn], { enabled: signedIn });

  if (!signedIn)
    return (
      <SignInPrompt
        className="studio"
        title={t("channel.title")}
        to={<Trans t={t} i18nKey="channel.signInTo" components={{ 1: <Link to="/signup" /> }} />}
      />
    );

  const existing = me.data?.channelId;
  return (
    <section className="studio" aria-labelledby="channel-title">
      <header className="studio-head">
        <div>
          <h1 id="channel-title">{t("channel.title")}</h1>
          <p className="muted">{t("channel.subtitle")}</p>
        </div>
      </header>
      {me.error ? (
        <ErrorState error={me.error} onRetry={me.reload} />
      ) : me.loading && !me.data ? (
        <div role="status" className="studio-card channel-loading">
          <span className="visually-hidden">{t("common:status.loading")}</span>
          <Skeleton width="40%" height="1.5rem" />
          <SkeletonText lines={3} />
        </div>
      ) : existing ? (
        <EmptyState
          icon={<Tv />}
          title={t("channel.existing.title")}
          description={t("channel.existing.description")}
          action={
            <span className="studio-actions">
              <ButtonLink variant="primary" icon={<Upload />} to="/studio/upload">
                {t("channel.existing.upload")}
              </ButtonLink>
              <ButtonLink to="/studio">{t("channel.existing.studio")}</ButtonLink>
              <ButtonLink variant="ghost" to={`/channel/${existing}`}>
                {t("channel.existing.view")}
              </ButtonLink>
            </span>
          }
        />
      ) : (
        <div className="channel-layout">
          <ChannelForm />
          <ChannelExplainer />
        </div>
      )}
    </section>
  );
}

function ChannelForm() {
  const { t } = useTranslation(["studio", "common"]);
  const navigate = useNavigate();
  const { values, field } = useFormFields({ handle: "", name: "", description: "" });
  return (
    <Form
      className="studio-form studio-card"
      rowClassName="studio-actions"
      aria-labelledby="channel-form-heading"
      submitLabel={t("channel.submit")}
      busyLabel={t("channel.creating")}
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
        toast({ title: t("channel.created"), tone: "success" });
        navigate("/studio/upload");
      }}
    >
      <h2 id="channel-form-heading">{t("channel.formHeading")}</h2>
      <Field
        label={t("channel.handle")}
        name="handle"
        required
        pattern="[a-z0-9_]{3,30}"
        title={t("channel.handlePattern")}
        autoComplete="off"
        spellCheck={false}
        hint={t("channel.handleHint")}
        {...field("handle")}
      />
      <Field
        label={t("channel.name")}
        name="name"
        required
        maxLength={100}
        hint={t("channel.nameHint")}
        {...field("name")}
      />
      <Field
        label={t("channel.description")}
        name="description"
        rows={3}
        hint={t("channel.descriptionHint")}
        {...field("description")}
      />
    </Form>
  );
}

/** Why one would: what a channel gives, in three lines. */
function ChannelExplainer() {
  const { t } = useTranslation(["studio", "common"]);
  const points = [
    { icon: <Upload />, key: "upload" },
    { icon: <Users />, key: "subscribers" },
    { icon: <ChartColumn />, key: "studio" },
  ] as const;
  return (
    <aside className="channel-explainer" aria-labelledby="channel-why">
      <h2 id="channel-why">{t("channel.why.heading")}</h2>
      <ul>
        {points.map((p) => (
          <li key={p.key}>
            <span className="channel-explainer-icon" aria-hidden="true">
              {p.icon}
            </span>
            <span>
              <strong>{t(`channel.why.${p.key}.title`)}</strong>
              <span className="muted">{t(`channel.why.${p.key}.text`)}</span>
            </span>
          </li>
        ))}
      </ul>
      <p className="muted">{t("channel.why.free")}</p>
    </aside>
  );
}
