import { Clock } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { playlistsApi } from "../../lib/playlists";
import { Button, toast } from "../../ui";

/** Saves the video to the active profile's Watch later (made on first use; saving twice is harmless). */
export function WatchLaterButton({ videoId }: { videoId: string }) {
  const { t } = useTranslation("watch");
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      const later = await playlistsApi.watchLater();
      await playlistsApi.add(later.id, videoId);
      toast({ title: t("watchLater.saved"), tone: "success" });
    } catch {
      toast({ title: t("watchLater.failed"), tone: "danger" });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<Clock />} busy={busy} onClick={() => void save()}>
      {t("watchLater.label")}
    </Button>
  );
}
