import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  CAPTION_FILE_ACCEPT,
  type CaptionTrack,
  COMMON_LANGUAGES,
  captionContentType,
  labelProblem,
  languageName,
  languageTag,
  MAX_CAPTION_BYTES,
  MAX_LABEL_CHARS,
  putCaptions,
} from "../../lib/captions";
import { currentLanguage, useFormat } from "../../lib/format";
import { FormField, Input, toast } from "../../ui";
import { Field } from "../form/Field";
import { Form } from "../form/Form";

interface Problems {
  language?: string;
  label?: string;
  file?: string;
}

/**
 * "Add captions": a language (typed, with common ones suggested), an optional label for the
 * player's menu and a WebVTT or SRT file. A language the video already has is replaced. What the
 * API finds wrong in the file ("line 14: …") shows under the form (the problem's detail).
 */
export function AddCaptionsForm({
  videoId,
  onSaved,
}: {
  videoId: string;
  onSaved: (track: CaptionTrack) => void;
}) {
  const { t } = useTranslation("studio");
  const f = useFormat();
  const listId = useId();
  const [language, setLanguage] = useState("");
  const [label, setLabel] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  // A new key empties the file input (it cannot be cleared by a value) after a success.
  const [round, setRound] = useState(0);
  const ui = currentLanguage();

  function check(): { tag: string; file: File } | null {
    const tag = languageTag(language);
    const badLabel = labelProblem(label);
    const next: Problems = {
      ...(tag ? {} : { language: t("captions.add.badLanguage") }),
      ...(badLabel === "tooLong" ? { label: t("captions.add.labelTooLong", { max: MAX_LABEL_CHARS }) } : {}),
      ...(badLabel === "quote" ? { label: t("captions.add.labelQuote") } : {}),
      ...(!file
        ? { file: t("captions.add.noFile") }
        : file.size > MAX_CAPTION_BYTES
          ? { file: t("captions.add.tooBig", { max: f.fileSize(MAX_CAPTION_BYTES) }) }
          : {}),
    };
    setProblems(next);
    return tag && file && !Object.keys(next).length ? { tag, file } : null;
  }

  return (
    <Form
      key={round}
      className="studio-form studio-captions-add"
      aria-labelledby={`${listId}-heading`}
      submitLabel={t("captions.add.submit")}
      busyLabel={t("captions.add.uploading")}
      primary={false}
      rowClassName="studio-actions"
      onSubmit={async () => {
        const ok = check();
        if (!ok) return;
        const { track, created } = await putCaptions(videoId, ok.tag, ok.file, {
          label,
          type: captionContentType(ok.file.name),
        });
        onSaved(track);
        toast({
          title: t(created ? "captions.added" : "captions.replaced", { label: track.label }),
          tone: "success",
        });
        setLanguage("");
        setLabel("");
        setFile(null);
        setRound((r) => r + 1);
      }}
    >
      <h3 id={`${listId}-heading`} className="studio-subheading">
        {t("captions.add.heading")}
      </h3>
      <div className="studio-field-row">
        <FormField
          label={t("captions.add.language")}
          hint={t("captions.add.languageHint")}
          error={problems.language}
        >
          {(control) => (
            <Input
              {...control}
              list={`${listId}-languages`}
              value={language}
              onChange={(e) => setLanguage(e.target.value)}
              placeholder={t("captions.add.languagePlaceholder")}
              autoComplete="off"
              spellCheck={false}
              required
              data-testid="captions-language"
            />
          )}
        </FormField>
        <datalist id={`${listId}-languages`}>
          {COMMON_LANGUAGES.map((tag) => (
            <option key={tag} value={tag}>
              {languageName(tag, ui)}
            </option>
          ))}
        </datalist>
        <Field
          label={t("captions.add.label")}
          hint={t("captions.add.labelHint")}
          error={problems.label}
          value={label}
          onChange={setLabel}
          maxLength={MAX_LABEL_CHARS}
        />
      </div>
      <FormField label={t("captions.add.file")} hint={t("captions.add.fileHint")} error={problems.file}>
        {(control) => (
          <input
            {...control}
            type="file"
            accept={CAPTION_FILE_ACCEPT}
            className="studio-captions-file"
            data-testid="captions-file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        )}
      </FormField>
    </Form>
  );
}
