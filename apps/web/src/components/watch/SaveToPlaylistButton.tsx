import { ListPlus } from "lucide-react";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../ui";

// The dialog (its strings, the playlists' reads) loads on first use: the watch page pays nothing.
const SaveDialog = lazy(() => import("../playlists/SaveDialog").then((m) => ({ default: m.SaveDialog })));

/** "Save": opens the dialog that puts the video in (or takes it out of) the profile's playlists. */
export function SaveToPlaylistButton({ videoId }: { videoId: string }) {
  const { t } = useTranslation("watch");
  const [open, setOpen] = useState(false);
  const [used, setUsed] = useState(false);
  return (
    <>
      <Button
        icon={<ListPlus />}
        aria-label={t("save.open")}
        aria-haspopup="dialog"
        data-testid="save-to-playlist"
        onClick={() => {
          setUsed(true);
          setOpen(true);
        }}
      >
        {t("save.label")}
      </Button>
      {used ? (
        <Suspense fallback={null}>
          <SaveDialog videoId={videoId} open={open} onOpenChange={setOpen} />
        </Suspense>
      ) : null}
    </>
  );
}
