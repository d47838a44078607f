import { ListVideo, Plus } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { PlaylistFormDialog } from "../components/playlists/PlaylistFormDialog";
import { SignInPrompt } from "../components/SignInPrompt";
import { watchLaterFirst } from "../lib/playlistEdit";
import { playlistsApi } from "../lib/playlists";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import { Badge, Button, EmptyState, ErrorState, SkeletonText, toast } from "../ui";
import "../components/playlists/playlists.css";

/** /playlists: the active profile's playlists (Watch later first), each a link, and "New playlist". */
export function MyPlaylistsPage() {
  const { t } = useTranslation("playlists");
  const s = useSession();
  const navigate = useNavigate();
  const signedIn = Boolean(s?.profileId);
  const lists = useLoad(async () => watchLaterFirst(await playlistsApi.mine()), [s?.profileId], {
    enabled: signedIn,
  });
  if (!signedIn)
    return (
      <SignInPrompt next="/playlists" title={t("mine.title")} message={t("mine.signIn")} className="studio" />
    );

  const create = (
    <PlaylistFormDialog
      trigger={
        <Button variant="primary" icon={<Plus />}>
          {t("mine.new")}
        </Button>
      }
      title={t("mine.new")}
      description={t("mine.newDescription")}
      submitLabel={t("form.create")}
      onSubmit={async (fields) => {
        const list = await playlistsApi.create(fields);
        toast({ title: t("form.created", { title: list.title }), tone: "success" });
        navigate(`/playlist/${list.id}`);
      }}
    />
  );
  const data = lists.data;
  return (
    <section className="studio" aria-labelledby="my-playlists-title" aria-busy={!data && !lists.error}>
      <header className="studio-head">
        <h1 id="my-playlists-title">{t("mine.title")}</h1>
        {create}
      </header>
      {lists.error ? <ErrorState error={lists.error} onRetry={lists.reload} /> : null}
      {!data && !lists.error ? (
        <div role="status" aria-label={t("mine.loading")}>
          <SkeletonText lines={4} />
        </div>
      ) : null}
      {data && data.length === 0 ? (
        <EmptyState icon={<ListVideo />} title={t("mine.empty")} description={t("mine.emptyHint")} />
      ) : null}
      {data && data.length > 0 ? (
        <ul className="my-playlists" data-testid="my-playlists">
          {data.map((list) => (
            <li key={list.id} className="my-playlist" data-playlist-id={list.id}>
              <Link to={`/playlist/${list.id}`}>
                {list.kind === "watch_later" ? t("page.watchLater") : list.title}
              </Link>
              <Badge tone="neutral">{t(`page.visibility.${list.visibility}`)}</Badge>
              <span className="muted">{t("page.videos", { count: list.itemCount })}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
