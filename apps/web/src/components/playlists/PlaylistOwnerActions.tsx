import { ListVideo, Pencil, Trash2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { type Playlist, playlistsApi } from "../../lib/playlists";
import { Button, ButtonLink, ConfirmDialog, toast } from "../../ui";
import { PlaylistFormDialog } from "./PlaylistFormDialog";

/**
 * On the page of a playlist one owns: edit (title, description, visibility) and delete, neither
 * for Watch later (the API refuses both), and the way back to all of one's playlists.
 */
export function PlaylistOwnerActions({
  list,
  onChanged,
}: {
  list: Playlist;
  onChanged: (list: Playlist) => void;
}) {
  const { t } = useTranslation(["playlists", "layout"]);
  const navigate = useNavigate();
  const editable = list.kind !== "watch_later";
  return (
    <div className="playlist-owner-actions">
      {editable ? (
        <PlaylistFormDialog
          trigger={
            <Button icon={<Pencil />} data-testid="playlist-edit">
              {t("edit.open")}
            </Button>
          }
          title={t("edit.title")}
          submitLabel={t("form.save")}
          initial={{ title: list.title, description: list.description, visibility: list.visibility }}
          onSubmit={async (fields) => {
            onChanged(await playlistsApi.update(list.id, fields));
            toast({ title: t("edit.saved"), tone: "success" });
          }}
        />
      ) : null}
      {editable ? (
        <ConfirmDialog
          trigger={
            <Button variant="danger" icon={<Trash2 />} data-testid="playlist-delete">
              {t("delete.open")}
            </Button>
          }
          title={t("delete.title", { title: list.title })}
          description={t("delete.description")}
          confirmLabel={t("delete.confirm")}
          onConfirm={async () => {
            await playlistsApi.remove(list.id);
            toast({ title: t("delete.deleted"), tone: "success" });
            navigate("/playlists");
          }}
        />
      ) : null}
      <ButtonLink to="/playlists" variant="ghost" icon={<ListVideo />}>
        {t("layout:account.playlists")}
      </ButtonLink>
    </div>
  );
}
