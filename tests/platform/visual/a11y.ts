// Accessibility of the key pages: axe-core (through @axe-core/playwright) for WCAG 2.1 A/AA, and
// keyboard-only use: from the top of a page, Tab must reach its main controls, and each must show
// where the focus is (an outline or a box-shadow while it matches :focus-visible).
import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "playwright-core";
import { CARDS, STUDIO_VIDEOS } from "./fixtures";

type Expectations = Record<string, (page: Page) => Locator>;

/** Signed out, Subscribe is a link to sign-in; signed in, a toggle button. */
const subscribe = (p: Page) =>
  p
    .getByRole("button", { name: "Subscribe", exact: true })
    .or(p.getByRole("link", { name: "Subscribe", exact: true }));

const firstVideo = (page: Page) =>
  page
    .getByTestId("video-card")
    .first()
    .getByRole("link", { name: CARDS[0]?.title ?? "" });

/** Per page: the controls Tab must reach (any element a locator matches counts). */
export const KEYBOARD: Record<string, Expectations> = {
  home: {
    search: (p) => p.getByRole("combobox", { name: /search/i }).or(p.getByRole("searchbox")),
    "sign in": (p) => p.getByRole("link", { name: "Sign in" }),
    "first video": firstVideo,
  },
  watch: {
    play: (p) => p.locator("video[controls]").or(p.getByRole("button", { name: /^play/i })),
    "playback speed": (p) => p.getByRole("combobox", { name: "Playback speed" }),
    "full screen": (p) => p.getByRole("button", { name: "Full screen" }),
    "keyboard shortcuts": (p) => p.getByRole("button", { name: "Keyboard shortcuts" }),
    like: (p) => p.getByRole("button", { name: "Like", exact: true }),
    subscribe,
  },
  channel: {
    subscribe,
    "first video": (p) =>
      p
        .getByTestId("video-card")
        .first()
        .getByRole("link", { name: CARDS.find((c) => c.channel.id === "ch_northern")?.title ?? "" }),
  },
  studio: {
    "upload a video": (p) => p.getByRole("link", { name: /upload/i }),
    "first video": (p) => p.getByRole("link", { name: STUDIO_VIDEOS[0]?.title ?? "" }),
  },
  upload: {
    "file picker": (p) => p.getByLabel("Choose a video file"),
    title: (p) => p.getByLabel("Title"),
    tags: (p) => p.getByLabel("Tags (comma separated)"),
  },
  "sign-in": {
    email: (p) => p.getByLabel("Email"),
    password: (p) => p.getByLabel("Password"),
    submit: (p) => p.getByRole("button", { name: "Sign in" }),
  },
};

const MAX_TABS = 80;

/**
 * Where focus is after a Tab: the expected control it is on (data-kbd-expect, set below) and whether
 * the focus is visible on it, or on a wrapper that carries the ring for a visually hidden input
 * (a file input inside its label).
 */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const ring = (e) => {
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
    return outline || (s.boxShadow !== "none" && s.boxShadow !== "");
  };
  let visible = el.matches(":focus-visible") && ring(el);
  const box = el.getBoundingClientRect();
  const hidden = box.width <= 1 || box.height <= 1 || getComputedStyle(el).opacity === "0";
  // Only a visually hidden control may show its focus on a wrapper (its label, the drop zone).
  for (let e = el.parentElement, i = 0; hidden && !visible && e && i < 2; e = e.parentElement, i++) visible = ring(e);
  return { key: el.getAttribute("data-kbd-expect"), visible, tag: el.tagName.toLowerCase() };
})()`;

export interface KeyboardResult {
  /** Controls Tab never reached. */
  unreached: string[];
  /** Controls reached without a visible focus indicator. */
  invisible: string[];
  /** Controls no element on the page matched at all. */
  missing: string[];
}

export async function checkKeyboard(page: Page, expectations: Expectations): Promise<KeyboardResult> {
  const missing: string[] = [];
  for (const [key, locate] of Object.entries(expectations)) {
    const n = await locate(page).evaluateAll((els, k) => {
      for (const e of els as { setAttribute(n: string, v: string): void }[])
        e.setAttribute("data-kbd-expect", k);
      return els.length;
    }, key);
    if (n === 0) missing.push(key);
  }
  const wanted = new Set(Object.keys(expectations).filter((k) => !missing.includes(k)));
  const invisible = new Set<string>();
  for (let i = 0; i < MAX_TABS && wanted.size > 0; i++) {
    await page.keyboard.press("Tab");
    const focused = (await page.evaluate(FOCUSED)) as { key: string | null; visible: boolean } | null;
    if (!focused?.key || !wanted.has(focused.key)) continue;
    wanted.delete(focused.key);
    if (!focused.visible) invisible.add(focused.key);
  }
  return { unreached: [...wanted], invisible: [...invisible], missing };
}

export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Serious and critical axe violations, one line each: rule, impact, targets. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
