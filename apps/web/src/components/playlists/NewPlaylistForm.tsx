import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Playlist, playlistsApi } from "../../lib/playlists";
import { toast } from "../../ui";
import { Form } from "../form/Form";
import { emptyPlaylistFields, PlaylistFormFields, playlistBody } from "./PlaylistFormFields";

/** In the save dialog: a title and a visibility, then "Create and save" (the video goes in it). */
export function NewPlaylistForm({
  videoId,
  onCreated,
}: {
  videoId: string;
  /** The new list, and whether the video went in (it exists even when adding the video failed). */
  onCreated: (list: Playlist, added: boolean) => void;
}) {
  const { t } = useTranslation("playlists");
  const [fields, setFields] = useState(emptyPlaylistFields);
  return (
    <Form
      className="stack save-dialog-new"
      heading={t("save.new")}
      submitLabel={t("save.createAndSave")}
      primary={false}
      disabled={!fields.title.trim()}
      onSubmit={async () => {
        const list = await playlistsApi.create(playlistBody(fields));
        setFields(emptyPlaylistFields());
        try {
          await playlistsApi.add(list.id, videoId);
        } catch (err) {
          onCreated(list, false);
          throw err;
        }
        onCreated({ ...list, itemCount: list.itemCount + 1 }, true);
        toast({ title: t("save.created", { title: list.title }), tone: "success" });
      }}
    >
      <PlaylistFormFields
        value={fields}
        onChange={setFields}
        withDescription={false}
        titleTestId="new-playlist-title"
      />
    </Form>
  );
}
