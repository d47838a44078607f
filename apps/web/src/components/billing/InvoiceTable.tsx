import { ExternalLink } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { Invoice } from "../../api/types";
import { useFormat } from "../../lib/format";
import type { PagedList } from "../../lib/usePagedList";
import { StatusChip } from "../../ui";
import { ListFooter } from "../ListFooter";

/** The account's invoices, newest first: date, period, amount, paid or failed, and the provider's receipt. */
export function InvoiceTable({ list }: { list: PagedList<Invoice> }) {
  const { t } = useTranslation("billing");
  const f = useFormat();
  return (
    <section className="billing-section panel" aria-labelledby="invoices-title">
      <h2 id="invoices-title">{t("invoices.title")}</h2>
      {list.items.length ? (
        <div className="billing-table-wrap">
          <table className="billing-table" data-testid="invoices">
            <caption className="visually-hidden">{t("invoices.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("invoices.date")}</th>
                <th scope="col">{t("invoices.period")}</th>
                <th scope="col" className="billing-num">
                  {t("invoices.amount")}
                </th>
                <th scope="col">{t("invoices.status")}</th>
                <th scope="col">{t("invoices.receipt")}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((invoice) => (
                <tr key={invoice.id} data-testid="invoice" data-status={invoice.status}>
                  <td>
                    <time dateTime={invoice.createdAt}>{f.date(invoice.createdAt)}</time>
                  </td>
                  <td>
                    {invoice.periodStart && invoice.periodEnd
                      ? t("invoices.range", {
                          from: f.date(invoice.periodStart),
                          to: f.date(invoice.periodEnd),
                        })
                      : null}
                  </td>
                  <td className="billing-num">{f.money(invoice.amountCents, invoice.currency)}</td>
                  <td>
                    <StatusChip tone={invoice.status === "paid" ? "success" : "danger"}>
                      {invoice.status === "paid" ? t("invoices.paid") : t("invoices.failed")}
                    </StatusChip>
                  </td>
                  <td>
                    {invoice.hostedUrl ? (
                      <a
                        href={invoice.hostedUrl}
                        target="_blank"
                        rel="noopener noreferrer"
                        aria-label={t("invoices.viewLabel", { date: f.date(invoice.createdAt) })}
                        className="billing-receipt"
                      >
                        {t("invoices.view")}
                        <ExternalLink aria-hidden="true" />
                      </a>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ListFooter
        list={list}
        empty={t("invoices.empty")}
        emptyHint={t("invoices.emptyHint")}
        more={t("invoices.more")}
        loadingText={t("invoices.loading")}
      />
    </section>
  );
}
