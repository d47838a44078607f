import { ArrowLeft } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { CampaignActions } from "../../components/ads/CampaignActions";
import { CampaignForm } from "../../components/ads/CampaignForm";
import { CampaignReportSection } from "../../components/ads/CampaignReport";
import { CampaignStatusChip } from "../../components/ads/CampaignStatusChip";
import { CreativeUpload } from "../../components/ads/CreativeUpload";
import { changes } from "../../components/ads/campaignForm";
import { RoleGate } from "../../components/ads/RoleGate";
import { adsApi, creativeBusy } from "../../lib/ads";
import { useFormat } from "../../lib/format";
import { useInterval } from "../../lib/useInterval";
import { useLoad } from "../../lib/useLoad";
import { ErrorState, PageLoading, toast } from "../../ui";
import "../../studio.css";
import "../../components/ads/ads.css";

const POLL_MS = 2000;

/** /ads/new: the campaign form; saving creates a draft and opens its page (for the creative). */
export function NewCampaignPage() {
  const { t } = useTranslation("ads");
  const navigate = useNavigate();
  return (
    <RoleGate need="advertise" title={t("new.title")} next="/ads/new">
      <section className="studio" aria-labelledby="new-title">
        <BackLink />
        <header className="studio-head">
          <div>
            <h1 id="new-title">{t("new.title")}</h1>
            <p className="muted">{t("new.subtitle")}</p>
          </div>
        </header>
        <div className="ads-card">
          <CampaignForm
            submitLabel={t("new.create")}
            onSubmit={async (input) => {
              const created = await adsApi.create(input);
              toast({ title: t("new.created"), description: t("new.createdHint"), tone: "success" });
              navigate(`/ads/campaigns/${created.id}`);
            }}
          />
        </div>
      </section>
    </RoleGate>
  );
}

/**
 * /ads/campaigns/:campaignId: the campaign's state and what can be done with it, its creative
 * (upload, processing), its report, and its settings. Polled while the creative is transcoding.
 */
export function CampaignPage() {
  const { t } = useTranslation("ads");
  const { campaignId = "" } = useParams();
  return (
    <RoleGate need="advertise" title={t("list.title")} next={`/ads/campaigns/${campaignId}`}>
      <CampaignDetails campaignId={campaignId} />
    </RoleGate>
  );
}

function CampaignDetails({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation("ads");
  const f = useFormat();
  const campaign = useLoad(() => adsApi.get(campaignId), [campaignId]);
  const c = campaign.data;
  useInterval(campaign.reload, creativeBusy(c) ? POLL_MS : null);
  if (!c && campaign.error)
    return (
      <section className="studio">
        <BackLink />
        <ErrorState error={campaign.error} onRetry={campaign.reload} />
      </section>
    );
  if (!c) return <PageLoading />;
  return (
    <section className="studio" aria-labelledby="campaign-title" data-campaign-id={c.id}>
      <BackLink />
      <header className="studio-head">
        <div className="stack">
          <h1 id="campaign-title">{c.name}</h1>
          <div className="row">
            <CampaignStatusChip status={c.status} />
            <span className="muted" data-testid="campaign-spend">
              {t("detail.spend", {
                spent: f.money(c.spend.spentCents, "usd"),
                total: f.money(c.totalBudgetCents, "usd"),
                impressions: f.number(c.spend.impressions),
              })}
            </span>
          </div>
        </div>
        <CampaignActions campaign={c} onUpdated={(u) => campaign.setData(u)} />
      </header>
      {c.status === "rejected" && c.reviewNote ? (
        <div className="notice" role="status" data-testid="review-note">
          <strong>{t("detail.rejected")}</strong>
          <p>{c.reviewNote}</p>
        </div>
      ) : null}
      <CreativeUpload campaign={c} onChange={campaign.reload} />
      <CampaignReportSection campaignId={c.id} version={c.status} />
      <section className="ads-card stack" aria-labelledby="settings-title">
        <h2 id="settings-title">{t("detail.settings")}</h2>
        {c.status === "active" || c.status === "paused" ? (
          <p className="muted">{t("detail.reviewAgain")}</p>
        ) : null}
        <CampaignForm
          key={c.id}
          campaign={c}
          submitLabel={t("detail.save")}
          onSubmit={async (input) => {
            const patch = changes(c, input);
            if (Object.keys(patch).length === 0) return;
            campaign.setData(await adsApi.update(c.id, patch));
            toast({ title: t("detail.saved"), tone: "success" });
          }}
        />
      </section>
    </section>
  );
}

function BackLink() {
  const { t } = useTranslation("ads");
  return (
    <Link to="/ads" className="ads-back">
      <ArrowLeft aria-hidden="true" />
      {t("detail.back")}
    </Link>
  );
}
