import { Ban, Eye, ShieldAlert, ShieldCheck, Snowflake, Tv } from "lucide-react";
import { useTranslation } from "react-i18next";
import { api, must } from "../../api/client";
import { ListFooter } from "../../components/ListFooter";
import { AppealDialog } from "../../components/reports/AppealDialog";
import { GrownUpGate } from "../../components/studio/GrownUpGate";
import { useFormat } from "../../lib/format";
import {
  APPEAL_STATE_TONE,
  type AppealState,
  type ChannelState,
  canAppeal,
  freezeEnd,
  isoOf,
  reportsApi,
  STRIKE_STATUS_TONE,
  type Strike,
  type StrikePage,
  strikeStatus,
} from "../../lib/reports";
import { useLoad } from "../../lib/useLoad";
import { usePagedList } from "../../lib/usePagedList";
import { ButtonLink, EmptyState, ErrorState, SkeletonText, StatusChip } from "../../ui";
import "../../studio.css";
import "../../components/reports/reports.css";

/**
 * /studio/strikes: the channel's warnings and strikes (GET /api/v1/me/strikes), active, expired or
 * lifted; the upload freeze and a suspension as banners; an appeal per strike, once, and its state.
 */
export function StrikesPage() {
  const { t } = useTranslation("reports");
  return (
    <GrownUpGate
      title={t("strikes.title")}
      next="/studio/strikes"
      signInTo={t("strikes.signInTo")}
      kids={{ title: t("strikes.kids"), hint: t("strikes.kidsHint"), home: t("strikes.home") }}
    >
      <Strikes />
    </GrownUpGate>
  );
}

function Strikes() {
  const { t } = useTranslation("reports");
  const me = useLoad(() => must(api.GET("/api/v1/me")), []);
  const noChannel = me.data?.channelId === null;
  const strikes = usePagedList((cursor) => reportsApi.strikes(cursor), [], {
    idOf: (s) => s.id,
    enabled: me.data !== undefined && !noChannel,
  });
  const page = strikes.last;
  const empty = strikes.items.length === 0;
  return (
    <section className="studio" aria-labelledby="strikes-title">
      <header className="studio-head">
        <div>
          <h1 id="strikes-title">{t("strikes.title")}</h1>
          <p className="muted">
            {page ? t("strikes.summary", { count: page.activeStrikes }) : t("strikes.subtitle")}
          </p>
        </div>
      </header>
      {me.error ? <ErrorState compact error={me.error} onRetry={me.reload} /> : null}
      {noChannel ? (
        <EmptyState
          icon={<Tv />}
          title={t("strikes.noChannel")}
          description={t("strikes.noChannelHint")}
          action={
            <ButtonLink variant="primary" to="/studio/channel">
              {t("strikes.createChannel")}
            </ButtonLink>
          }
        />
      ) : null}
      {page ? <StandingBanners page={page} /> : null}
      {!noChannel && empty && (strikes.loading || me.loading) ? (
        <div role="status" aria-label={t("strikes.loading")}>
          <SkeletonText lines={4} />
        </div>
      ) : null}
      {empty ? null : (
        <ul className="strikes-list" aria-label={t("strikes.caption")}>
          {strikes.items.map((s) => (
            <StrikeItem
              key={s.id}
              strike={s}
              onAppealed={(appeal) => {
                strikes.setItems((prev) => prev.map((x) => (x.id === s.id ? { ...x, appeal } : x)));
                strikes.refresh();
              }}
            />
          ))}
        </ul>
      )}
      {noChannel || me.loading ? null : (
        <ListFooter
          list={strikes}
          empty={t("strikes.empty")}
          emptyHint={t("strikes.emptyHint")}
          more={t("strikes.more")}
        />
      )}
    </section>
  );
}

/** The channel's standing above the list: suspended, under review, uploads frozen until a date. */
function StandingBanners({ page }: { page: Pick<StrikePage, "channelState" | "frozenUntil"> }) {
  const { t } = useTranslation("reports");
  const f = useFormat();
  const state: ChannelState = page.channelState;
  const frozen = freezeEnd(page.frozenUntil);
  return (
    <>
      {state === "suspended" ? (
        <div
          role="alert"
          className="notice strikes-banner strikes-banner--danger"
          data-testid="channel-suspended"
        >
          <Ban aria-hidden="true" />
          <div>
            <strong>{t("strikes.suspended")}</strong>
            <p>{t("strikes.suspendedHint")}</p>
          </div>
        </div>
      ) : null}
      {state === "held" ? (
        <div className="notice strikes-banner" data-testid="channel-held">
          <Eye aria-hidden="true" />
          <div>
            <strong>{t("strikes.held")}</strong>
            <p>{t("strikes.heldHint")}</p>
          </div>
        </div>
      ) : null}
      {frozen !== null ? (
        <div className="notice strikes-banner" data-testid="upload-freeze" data-until={isoOf(frozen)}>
          <Snowflake aria-hidden="true" />
          <div>
            <strong>{t("strikes.frozen", { date: f.dateTime(isoOf(frozen)) })}</strong>
            <p>{t("strikes.frozenHint")}</p>
          </div>
        </div>
      ) : null}
    </>
  );
}

function StrikeItem({
  strike: s,
  onAppealed,
}: {
  strike: Strike;
  onAppealed: (appeal: { id: string; state: AppealState }) => void;
}) {
  const { t } = useTranslation("reports");
  const f = useFormat();
  const status = strikeStatus(s);
  const title = s.kind === "warning" ? t("strikeKind.warning") : t("strikes.ordinal", { n: s.ordinal });
  const headingId = `strike-${s.id}`;
  return (
    <li
      className="panel strike"
      data-testid="strike-row"
      data-strike-id={s.id}
      data-kind={s.kind}
      data-status={status}
      aria-labelledby={headingId}
    >
      <div className="strike-head">
        {s.kind === "warning" ? (
          <ShieldCheck aria-hidden="true" size={18} />
        ) : (
          <ShieldAlert aria-hidden="true" size={18} />
        )}
        <h2 id={headingId}>{title}</h2>
        <StatusChip tone={STRIKE_STATUS_TONE[status]} data-testid="strike-status" data-status={status}>
          {t(`strikes.status.${status}`)}
        </StatusChip>
      </div>
      <p className="strike-facts">
        <span>
          {t("strikes.reason")}: {t(`reasons.${s.reason}`)}
        </span>
        <span>{t("strikes.issued", { date: f.date(isoOf(s.issuedAt)) })}</span>
        {status === "lifted" && s.liftedAt !== null ? (
          <span>{t("strikes.lifted", { date: f.date(isoOf(s.liftedAt)) })}</span>
        ) : status === "expired" ? (
          <span>{t("strikes.expired", { date: f.date(isoOf(s.expiresAt)) })}</span>
        ) : (
          <span>{t("strikes.expires", { date: f.date(isoOf(s.expiresAt)) })}</span>
        )}
        {status === "active" && freezeEnd(s.freezeUntil) !== null && s.freezeUntil !== null ? (
          <span>{t("strikes.freezeUntil", { date: f.dateTime(isoOf(s.freezeUntil)) })}</span>
        ) : null}
      </p>
      {s.note ? (
        <p className="strike-note">
          <strong>{t("strikes.note")}:</strong> {s.note}
        </p>
      ) : null}
      <div className="strike-actions">
        {s.appeal ? (
          <StatusChip
            tone={APPEAL_STATE_TONE[s.appeal.state] ?? "info"}
            data-testid="appeal-state"
            data-state={s.appeal.state}
          >
            {t(`appealState.${s.appeal.state}`)}
          </StatusChip>
        ) : canAppeal(s) ? (
          <AppealDialog strikeId={s.id} onAppealed={onAppealed} />
        ) : null}
      </div>
    </li>
  );
}
