import { type ReactElement, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PlaylistFields } from "../../lib/playlists";
import { Button, Dialog, DialogClose } from "../../ui";
import { Form } from "../form/Form";
import { emptyPlaylistFields, PlaylistFormFields, playlistBody } from "./PlaylistFormFields";

/**
 * A dialog with a playlist's fields: "New playlist" (empty) or "Edit playlist" (`initial`). The form
 * is mounted while the dialog is open, so it starts from `initial` every time. `onSubmit` gets the
 * trimmed fields; its failure shows in the dialog, success closes it.
 */
export function PlaylistFormDialog({
  trigger,
  title,
  description,
  submitLabel,
  initial,
  onSubmit,
}: {
  trigger: ReactElement;
  title: string;
  description?: string;
  submitLabel: string;
  initial?: PlaylistFields;
  onSubmit: (fields: PlaylistFields) => Promise<unknown>;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      title={title}
      description={description}
      size="sm"
      open={open}
      onOpenChange={setOpen}
      trigger={trigger}
    >
      {open ? (
        <PlaylistForm
          title={title}
          submitLabel={submitLabel}
          initial={initial ?? emptyPlaylistFields()}
          onSubmit={async (fields) => {
            await onSubmit(fields);
            setOpen(false);
          }}
        />
      ) : null}
    </Dialog>
  );
}

function PlaylistForm({
  title,
  submitLabel,
  initial,
  onSubmit,
}: {
  title: string;
  submitLabel: string;
  initial: PlaylistFields;
  onSubmit: (fields: PlaylistFields) => Promise<unknown>;
}) {
  const { t } = useTranslation("common");
  const [fields, setFields] = useState(initial);
  return (
    <Form
      aria-label={title}
      submitLabel={submitLabel}
      disabled={!fields.title.trim()}
      onSubmit={() => onSubmit(playlistBody(fields))}
      actions={
        <DialogClose asChild>
          <Button variant="ghost">{t("actions.cancel")}</Button>
        </DialogClose>
      }
    >
      <PlaylistFormFields value={fields} onChange={setFields} />
    </Form>
  );
}
