import {
  type Campaign,
  type CampaignInput,
  centsToDollars,
  type DeviceClass,
  dollarsToCents,
  listOf,
  type Maturity,
  type Pacing,
} from "../../lib/ads";

/** What the campaign form holds: text as typed (money in dollars), lists as picked. */
export interface CampaignValues {
  name: string;
  clickThroughUrl: string;
  totalBudget: string;
  dailyBudget: string;
  cpmBid: string;
  pacing: Pacing;
  /** `datetime-local` values, in the viewer's time zone. */
  startsAt: string;
  endsAt: string;
  categories: string[];
  countries: string;
  languages: string;
  devices: DeviceClass[];
  maxMaturity: Maturity;
  excludedChannels: string;
  frequencyCapPerDay: string;
  kidsSafe: boolean;
}

/** A problem the form finds before asking the API: the field and the message key. */
export type LocalError =
  | "amount"
  | "positive"
  | "dailyOverTotal"
  | "required"
  | "https"
  | "endBeforeStart"
  | "wholeNumber"
  | "date";

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO instant as a `datetime-local` value in the viewer's zone ("2026-12-06T09:30"). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (the viewer's zone) as an ISO instant; null when empty or not a date. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function initialValues(c?: Campaign): CampaignValues {
  return {
    name: c?.name ?? "",
    clickThroughUrl: c?.clickThroughUrl ?? "",
    totalBudget: c ? centsToDollars(c.totalBudgetCents) : "",
    dailyBudget: c ? centsToDollars(c.dailyBudgetCents) : "",
    cpmBid: c ? centsToDollars(c.cpmBidCents) : "",
    pacing: c?.pacing ?? "even",
    startsAt: toLocalInput(c?.startsAt ?? new Date().toISOString()),
    endsAt: toLocalInput(c?.endsAt ?? null),
    categories: c?.targeting.categories ?? [],
    countries: (c?.targeting.countries ?? []).join(", "),
    languages: (c?.targeting.languages ?? []).join(", "),
    devices: c?.targeting.devices ?? [],
    maxMaturity: c?.targeting.maxMaturity ?? "adult",
    excludedChannels: (c?.targeting.excludedChannels ?? []).join(", "),
    frequencyCapPerDay: String(c?.frequencyCapPerDay ?? 3),
    kidsSafe: c?.kidsSafe ?? false,
  };
}

/**
 * The form's values as the API's body, or the fields that are wrong. Money goes from the typed
 * text to integer cents by its digits (lib/ads.ts `dollarsToCents`), never through a float.
 */
export function toInput(
  v: CampaignValues,
): { ok: true; input: CampaignInput } | { ok: false; errors: Record<string, LocalError> } {
  const errors: Record<string, LocalError> = {};
  const money = (field: string, text: string) => {
    const cents = dollarsToCents(text);
    if (cents === null) errors[field] = text.trim() ? "amount" : "required";
    else if (cents <= 0) errors[field] = "positive";
    return cents ?? 0;
  };
  if (!v.name.trim()) errors.name = "required";
  const url = v.clickThroughUrl.trim();
  if (!url) errors.clickThroughUrl = "required";
  else if (!/^https:\/\/[^\s]+$/i.test(url)) errors.clickThroughUrl = "https";
  const totalBudgetCents = money("totalBudgetCents", v.totalBudget);
  const dailyBudgetCents = money("dailyBudgetCents", v.dailyBudget);
  const cpmBidCents = money("cpmBidCents", v.cpmBid);
  if (!errors.totalBudgetCents && !errors.dailyBudgetCents && dailyBudgetCents > totalBudgetCents)
    errors.dailyBudgetCents = "dailyOverTotal";
  const startsAt = fromLocalInput(v.startsAt);
  if (!startsAt) errors.startsAt = v.startsAt ? "date" : "required";
  const endsAt = fromLocalInput(v.endsAt);
  if (v.endsAt && !endsAt) errors.endsAt = "date";
  else if (startsAt && endsAt && endsAt <= startsAt) errors.endsAt = "endBeforeStart";
  const cap = v.frequencyCapPerDay.trim();
  if (!/^\d+$/.test(cap) || Number(cap) < 1) errors.frequencyCapPerDay = "wholeNumber";
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name: v.name.trim(),
      clickThroughUrl: url,
      totalBudgetCents,
      dailyBudgetCents,
      cpmBidCents,
      pacing: v.pacing,
      startsAt: startsAt ?? new Date().toISOString(),
      endsAt,
      targeting: {
        categories: v.categories,
        countries: listOf(v.countries, (s) => s.toUpperCase()),
        languages: listOf(v.languages, (s) => s.toLowerCase()),
        devices: v.devices,
        maxMaturity: v.maxMaturity,
        excludedChannels: listOf(v.excludedChannels),
      },
      frequencyCapPerDay: Number(cap),
      kidsSafe: v.kidsSafe,
    },
  };
}

/**
 * Only what changed, for PATCH: an unchanged click-through URL must not be sent (a changed one
 * sends an approved campaign back to review), nor anything else that did not change.
 */
export function changes(before: Campaign, input: CampaignInput): Partial<CampaignInput> {
  const out: Partial<CampaignInput> = {};
  // Key order is the server's or the form's: compare with sorted keys.
  const canonical = (v: unknown): string =>
    v && typeof v === "object" && !Array.isArray(v)
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${k}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(",")}}`
      : JSON.stringify(v);
  const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
  for (const key of Object.keys(input) as (keyof CampaignInput)[]) {
    if (key === "startsAt" && toLocalInput(before.startsAt) === toLocalInput(input.startsAt)) continue;
    if (key === "endsAt" && toLocalInput(before.endsAt) === toLocalInput(input.endsAt)) continue;
    if (!same(before[key], input[key])) (out as Record<string, unknown>)[key] = input[key];
  }
  return out;
}
