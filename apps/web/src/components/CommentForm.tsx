import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, TextArea } from "../ui";
import { Form } from "./form/Form";

/** Writing a comment, a reply or an edit: one textarea, its submit button and maybe "Cancel". */
export function CommentForm({
  label,
  submitLabel,
  initial = "",
  onSubmit,
  onCancel,
}: {
  label: string;
  submitLabel: string;
  initial?: string;
  onSubmit: (body: string) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation(["comments", "common"]);
  const id = useId();
  const [body, setBody] = useState(initial);
  return (
    <Form
      className="comment-form"
      rowClassName="comment-form-actions"
      submitLabel={submitLabel}
      disabled={!body.trim()}
      onSubmit={async () => {
        if (!body.trim()) return;
        await onSubmit(body.trim());
        setBody("");
      }}
      actions={
        onCancel ? (
          <Button variant="ghost" onClick={onCancel}>
            {t("common:actions.cancel")}
          </Button>
        ) : null
      }
    >
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <TextArea
        id={id}
        placeholder={t("placeholder", { label })}
        rows={2}
        maxLength={2000}
        value={body}
        onChange={(e) => setBody(e.target.value)}
      />
    </Form>
  );
}
