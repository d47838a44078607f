import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type Membership, membershipOf, watchLaterFirst } from "../../lib/playlistEdit";
import { type Playlist, playlistsApi } from "../../lib/playlists";
import { useLoad } from "../../lib/useLoad";
import { Dialog, ErrorState, Spinner, toast } from "../../ui";
import { NewPlaylistForm } from "./NewPlaylistForm";
import { PlaylistOption } from "./PlaylistOption";
import "./playlists.css";

/**
 * "Save to playlist" on the watch page: the profile's playlists (Watch later first), each with a
 * checkbox ticked when the video is in it, and a form that makes a new one with the video in it.
 * What the boxes show is read each time the dialog opens (the first lists only, see membershipOf).
 */
export function SaveDialog({
  videoId,
  open,
  onOpenChange,
}: {
  videoId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation("playlists");
  return (
    <Dialog title={t("save.title")} size="sm" open={open} onOpenChange={onOpenChange}>
      {open ? <SaveDialogBody videoId={videoId} /> : null}
    </Dialog>
  );
}

interface Saved {
  lists: Playlist[];
  membership: Membership;
}

function SaveDialogBody({ videoId }: { videoId: string }) {
  const { t } = useTranslation("playlists");
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const saved = useLoad(async (): Promise<Saved> => {
    const lists = watchLaterFirst(await playlistsApi.mine());
    const membership = await membershipOf(lists, (id) => playlistsApi.contains(id, videoId));
    return { lists, membership };
  }, [videoId]);

  const mark = (playlistId: string, value: boolean | undefined) =>
    saved.setData((d) => d && { ...d, membership: { ...d.membership, [playlistId]: value } });
  const titleOf = (list: Playlist) => (list.kind === "watch_later" ? t("page.watchLater") : list.title);

  async function toggle(list: Playlist, add: boolean) {
    if (pending.has(list.id)) return;
    const before = saved.data?.membership[list.id];
    mark(list.id, add);
    setPending((p) => new Set(p).add(list.id));
    try {
      if (add) await playlistsApi.add(list.id, videoId);
      else await playlistsApi.removeItem(list.id, videoId);
      toast({ title: t(add ? "save.added" : "save.removed", { title: titleOf(list) }), tone: "success" });
    } catch {
      mark(list.id, before);
      toast({ title: t("save.failed", { title: titleOf(list) }), tone: "danger" });
    } finally {
      setPending((p) => {
        const next = new Set(p);
        next.delete(list.id);
        return next;
      });
    }
  }

  function created(list: Playlist, added: boolean) {
    saved.setData((d) => {
      const lists = watchLaterFirst([list, ...(d?.lists ?? [])]);
      return { lists, membership: { ...d?.membership, [list.id]: added } };
    });
  }

  const data = saved.data;
  const unknown = data?.lists.some((l) => data.membership[l.id] === undefined);
  return (
    <div className="stack save-dialog" data-testid="save-dialog" aria-busy={!data}>
      {saved.error ? <ErrorState compact error={saved.error} onRetry={saved.reload} /> : null}
      {!data && !saved.error ? <Spinner label={t("save.loading")} /> : null}
      {data && data.lists.length === 0 ? <p className="muted">{t("save.none")}</p> : null}
      {data && data.lists.length > 0 ? (
        <fieldset className="save-dialog-lists">
          <legend className="visually-hidden">{t("save.lists")}</legend>
          {data.lists.map((list) => (
            <PlaylistOption
              key={list.id}
              list={list}
              title={titleOf(list)}
              checked={data.membership[list.id] === true}
              busy={pending.has(list.id)}
              onToggle={(add) => void toggle(list, add)}
            />
          ))}
        </fieldset>
      ) : null}
      {unknown ? <p className="muted save-dialog-note">{t("save.unknown")}</p> : null}
      <NewPlaylistForm videoId={videoId} onCreated={created} />
      <Link to="/playlists" className="save-dialog-manage">
        {t("save.manage")}
      </Link>
    </div>
  );
}
