import { useState } from "react";
import {
  MATURITY_OPTIONS,
  type Maturity,
  parseTags,
  VISIBILITY_OPTIONS,
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
  const categories = useCategories(); // optional: the form works without them
  const set =
    <K extends keyof VideoMetadata>(key: K) =>
    (v: VideoMetadata[K]) =>
      onChange((prev) => ({ ...prev, [key]: v }));
  return (
    <>
      <Field label="Title" required maxLength={100} value={value.title} onChange={set("title")} />
      <Field
        label="Description"
        rows={4}
        maxLength={5000}
        value={value.description}
        onChange={set("description")}
      />
      <Field
        label="Tags (comma separated)"
        placeholder="music, live, tutorial"
        value={value.tags}
        onChange={set("tags")}
      />
      <div className="studio-row">
        <SelectField
          label="Visibility"
          value={value.visibility}
          options={VISIBILITY_OPTIONS}
          onChange={set("visibility")}
        />
        <SelectField
          label="Category"
          value={value.categoryId}
          none="None"
          options={categories.options}
          onChange={set("categoryId")}
        />
        <SelectField
          label="Maturity"
          value={value.maturity}
          options={MATURITY_OPTIONS}
          onChange={set("maturity")}
        />
      </div>
    </>
  );
}
