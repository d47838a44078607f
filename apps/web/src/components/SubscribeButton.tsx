import { Bell, BellRing } from "lucide-react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { api, must } from "../api/client";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import { Button, ButtonLink, toast } from "../ui";

export interface Subscription {
  /** Null while unknown (loading, or signed out). */
  subscribed: boolean | null;
  count: number | undefined;
  signedIn: boolean;
  toggle: () => void;
}

/**
 * A channel's subscription for the active profile, changed optimistically: the button and count
 * change at once, go back (with a toast) if the API says no. Clicks while a change is on its way
 * are ignored, so a double click never counts twice.
 */
export function useSubscription(channelId: string, initialCount?: number): Subscription {
  const { t } = useTranslation("watch");
  const s = useSession();
  const profileId = s?.profileId ?? null;
  const path = { channelId };
  const state = useLoad(
    () => must(api.GET("/api/v1/channels/{channelId}/subscription", { params: { path } })),
    [channelId, profileId],
    { enabled: profileId !== null },
  );
  const inFlight = useRef(false);
  const subscribed = state.data?.subscribed ?? null;

  async function toggle() {
    const before = state.data;
    if (inFlight.current || !before) return;
    inFlight.current = true;
    const next = !before.subscribed;
    state.setData({
      ...before,
      subscribed: next,
      subscriberCount: Math.max(0, before.subscriberCount + (next ? 1 : -1)),
    });
    try {
      if (next) {
        state.setData(
          await must(
            api.PUT("/api/v1/channels/{channelId}/subscription", {
              params: { path },
              body: { level: "all" },
            }),
          ),
        );
      } else {
        await must(api.DELETE("/api/v1/channels/{channelId}/subscription", { params: { path } }));
      }
      toast({ title: next ? t("subscribe.done") : t("subscribe.undone") });
    } catch (err) {
      state.setData(before);
      toast({
        tone: "danger",
        title: next ? t("subscribe.failed") : t("subscribe.undoFailed"),
        description: err instanceof Error ? err.message : undefined,
      });
    } finally {
      inFlight.current = false;
    }
  }

  return {
    subscribed,
    count: state.data?.subscriberCount ?? initialCount,
    signedIn: s !== null,
    toggle: () => void toggle(),
  };
}

/** The Subscribe / Subscribed toggle itself (a sign-in link when signed out). */
export function SubscribeToggle({ subscription }: { subscription: Subscription }) {
  const { t } = useTranslation("watch");
  const { subscribed, signedIn, toggle } = subscription;
  if (!signedIn)
    return (
      <ButtonLink
        variant="primary"
        to={`/signin?next=${encodeURIComponent(window.location.pathname)}`}
        icon={<Bell />}
      >
        {t("subscribe.subscribe")}
      </ButtonLink>
    );
  return (
    <Button
      variant={subscribed ? "secondary" : "primary"}
      aria-pressed={subscribed ?? false}
      disabled={subscribed === null}
      icon={subscribed ? <BellRing /> : <Bell />}
      onClick={toggle}
    >
      {subscribed ? t("subscribe.subscribed") : t("subscribe.subscribe")}
    </Button>
  );
}

/** Subscribe / Subscribed toggle for a channel with its subscriber count (PUT / DELETE /channels/{id}/subscription). */
export function SubscribeButton({
  channelId,
  initialCount,
  isOwner,
}: {
  channelId: string;
  initialCount?: number;
  isOwner?: boolean;
}) {
  const { t } = useTranslation("common");
  const subscription = useSubscription(channelId, initialCount);
  const { count } = subscription;
  const countText =
    count === undefined ? null : <span className="muted">{t("count.subscribers", { count })}</span>;
  return (
    <div className="row subscribe">
      {isOwner ? null : <SubscribeToggle subscription={subscription} />}
      {countText}
    </div>
  );
}
