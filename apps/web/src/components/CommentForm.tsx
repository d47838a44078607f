import { useState } from "react";
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
  const [body, setBody] = useState(initial);
  return (
    <Form
      className="comment-form"
      submitLabel={submitLabel}
      disabled={!body.trim()}
      onSubmit={async () => {
        if (!body.trim()) return;
        await onSubmit(body.trim());
        setBody("");
      }}
      actions={
        onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null
      }
    >
      <label>
        <span className="visually-hidden">{label}</span>
        <textarea
          aria-label={label}
          placeholder={`${label}…`}
          rows={2}
          maxLength={2000}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
      </label>
    </Form>
  );
}
