import { Megaphone, Plus } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { CampaignStatusChip } from "../../components/ads/CampaignStatusChip";
import { RoleGate } from "../../components/ads/RoleGate";
import { ListFooter } from "../../components/ListFooter";
import { adsApi, type Campaign } from "../../lib/ads";
import { useFormat } from "../../lib/format";
import { usePagedList } from "../../lib/usePagedList";
import { ButtonLink, SkeletonText } from "../../ui";
import "../../studio.css";
import "../../components/ads/ads.css";

/** /ads: the advertiser's campaigns (GET /api/v1/ads/campaigns), newest first, and "New campaign". */
export function AdsCampaignsPage() {
  const { t } = useTranslation("ads");
  return (
    <RoleGate need="advertise" title={t("list.title")} next="/ads">
      <CampaignList />
    </RoleGate>
  );
}

function CampaignList() {
  const { t } = useTranslation("ads");
  const campaigns = usePagedList((cursor) => adsApi.list(cursor), [], { idOf: (c) => c.id });
  const empty = campaigns.items.length === 0;
  return (
    <section className="studio" aria-labelledby="ads-title">
      <header className="studio-head">
        <div>
          <h1 id="ads-title">{t("list.title")}</h1>
          <p className="muted">{t("list.subtitle")}</p>
        </div>
        <ButtonLink variant="primary" icon={<Plus />} to="/ads/new">
          {t("list.new")}
        </ButtonLink>
      </header>
      {empty && campaigns.loading ? <SkeletonText lines={4} /> : null}
      {empty ? null : <CampaignTable campaigns={campaigns.items} />}
      <ListFooter
        list={campaigns}
        empty={t("list.empty")}
        emptyHint={t("list.emptyHint")}
        emptyAction={
          <ButtonLink variant="primary" icon={<Megaphone />} to="/ads/new">
            {t("list.new")}
          </ButtonLink>
        }
        more={t("list.more")}
      />
    </section>
  );
}

function CampaignTable({ campaigns }: { campaigns: Campaign[] }) {
  const { t } = useTranslation("ads");
  const f = useFormat();
  return (
    <div className="ads-table-wrap">
      <table className="ads-table" data-testid="campaigns">
        <caption className="visually-hidden">{t("list.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("list.name")}</th>
            <th scope="col">{t("list.status")}</th>
            <th scope="col" className="ads-num">
              {t("list.spend")}
            </th>
            <th scope="col" className="ads-num">
              {t("list.impressions")}
            </th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((c) => (
            <tr key={c.id} data-testid="campaign-row" data-campaign-id={c.id} data-status={c.status}>
              <th scope="row">
                <Link to={`/ads/campaigns/${c.id}`}>{c.name}</Link>
              </th>
              <td>
                <CampaignStatusChip status={c.status} />
              </td>
              <td className="ads-num">
                {t("list.spendOf", {
                  spent: f.money(c.spend.spentCents, "usd"),
                  total: f.money(c.totalBudgetCents, "usd"),
                })}
              </td>
              <td className="ads-num">{f.number(c.spend.impressions)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
