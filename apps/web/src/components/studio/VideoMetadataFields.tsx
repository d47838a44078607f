import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  MATURITIES,
  type Maturity,
  parseTags,
  VISIBILITIES,
  type Video,
  type Visibility,
} from "../../lib/studio";
import { useCategories } from "../../lib/useCategories";
import { Field, SelectField } from "../form/Field";

/** What the upload and edit forms ask about a video, as typed (tags as "a, b, c"). */
export interface VideoMetadata {
  title: string;
  description: string;
  tags: string;
  visibility: Visibility;
  maturity: Maturity;
  categoryId: string;
}

/** The form's state, from the video being edited (or blank for an upload). */
export function useVideoMetadata(video?: Video) {
  return useState<VideoMetadata>({
    title: video?.title ?? "",
    description: video?.description ?? "",
    tags: video?.tags.join(", ") ?? "",
    visibility: video?.visibility ?? "public",
    maturity: video?.maturity ?? "adult",
    categoryId: video?.categoryId ?? "",
  });
}

/** The metadata as the API takes it (POST /videos, PATCH /videos/{id}). */
export function metadataBody(m: VideoMetadata) {
  return {
    title: m.title.trim(),
    description: m.description,
    tags: parseTags(m.tags),
    visibility: m.visibility,
    maturity: m.maturity,
    categoryId: m.categoryId || null,
  };
}

/** Title, description, tags, and a row of visibility, category and maturity. */
export function VideoMetadataFields({
  value,
  onChange,
}: {
  value: VideoMetadata;
  onChange: (update: (prev: VideoMetadata) => VideoMetadata) => void;
}) {
  const { t } = useTranslation(["studio", "common"]);
  const categories = useCategories(); // optional: the form works without them
  const set =
    <K extends keyof VideoMetadata>(key: K) =>
    (v: VideoMetadata[K]) =>
      onChange((prev) => ({ ...prev, [key]: v }));
  return (
    <>
      <Field label={t("fields.title")} required maxLength={100} value={value.title} onChange={set("title")} />
      <Field
        label={t("fields.description")}
        rows={4}
        maxLength={5000}
        value={value.description}
        onChange={set("description")}
      />
      <Field
        label={t("fields.tags")}
        placeholder={t("fields.tagsPlaceholder")}
        hint={t("fields.tagsHint")}
        value={value.tags}
        onChange={set("tags")}
      />
      <div className="studio-field-row">
        <SelectField
          label={t("fields.visibility")}
          value={value.visibility}
          options={VISIBILITIES.map((v) => ({ value: v, label: t(`visibilityOption.${v}`) }))}
          onChange={set("visibility")}
        />
        <SelectField
          label={t("fields.category")}
          value={value.categoryId}
          none={t("fields.categoryNone")}
          options={categories.options}
          onChange={set("categoryId")}
        />
        <SelectField
          label={t("fields.maturity")}
          value={value.maturity}
          options={MATURITIES.map((m) => ({ value: m, label: t(`common:maturity.${m}`) }))}
          onChange={set("maturity")}
        />
      </div>
    </>
  );
}
