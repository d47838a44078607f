import { useTranslation } from "react-i18next";
import type { PlaylistFields, PlaylistVisibility } from "../../lib/playlists";
import { Field, SelectField, TextAreaField } from "../form/Field";

const VISIBILITIES: readonly PlaylistVisibility[] = ["private", "unlisted", "public"];

/** A new playlist's fields: private unless the viewer chooses otherwise (the API's default too). */
export const emptyPlaylistFields = (): PlaylistFields => ({
  title: "",
  description: "",
  visibility: "private",
});

/** The fields as the API takes them: trimmed (an empty description clears it). */
export function playlistBody(fields: PlaylistFields): PlaylistFields {
  return {
    title: fields.title.trim(),
    description: fields.description?.trim() ?? "",
    visibility: fields.visibility,
  };
}

/**
 * A playlist's title, (optionally) description and visibility, for creating or editing one.
 * `titleTestId` marks the title input (`new-playlist-title` where a playlist is made).
 */
export function PlaylistFormFields({
  value,
  onChange,
  withDescription = true,
  titleTestId,
}: {
  value: PlaylistFields;
  onChange: (next: PlaylistFields) => void;
  withDescription?: boolean;
  titleTestId?: string;
}) {
  const { t } = useTranslation("playlists");
  return (
    <>
      <Field
        label={t("form.title")}
        value={value.title}
        onChange={(title) => onChange({ ...value, title })}
        maxLength={150}
        required
        autoComplete="off"
        data-testid={titleTestId}
      />
      {withDescription ? (
        <TextAreaField
          label={t("form.description")}
          value={value.description ?? ""}
          onChange={(description) => onChange({ ...value, description })}
          maxLength={5000}
          rows={3}
        />
      ) : null}
      <SelectField
        label={t("form.visibility")}
        hint={t("form.visibilityHint")}
        value={value.visibility}
        onChange={(visibility) => onChange({ ...value, visibility })}
        options={VISIBILITIES.map((v) => ({ value: v, label: t(`page.visibility.${v}`) }))}
      />
    </>
  );
}
