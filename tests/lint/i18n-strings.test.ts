import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const WEB_SRC = join(ROOT, "apps/web/src");

/** Words that are the same in every language. */
const ALLOWED = new Set(["Marquee"]);

/** Attributes and props whose value people see or hear (DOM attributes and our components' props). */
const VISIBLE_PROPS = new Set([
  "aria-label",
  "aria-description",
  "aria-valuetext",
  "aria-roledescription",
  "title",
  "placeholder",
  "alt",
  "label",
  "heading",
  "hint",
  "description",
  "submitLabel",
  "busyLabel",
  "empty",
  "emptyHint",
  "more",
  "loadingText",
  "none",
  "confirmLabel",
  "cancelLabel",
  "retryLabel",
  "valueText",
  "content",
  "success",
]);

/** Object properties that hold what a list or menu shows (`{ value: "top", label: "Top" }`). */
const VISIBLE_KEYS = new Set(["label", "title", "description"]);

const hasLetters = (text: string) => /\p{L}/u.test(text) && !ALLOWED.has(text.trim());

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(path);
    return entry.name.endsWith(".tsx") ? [path] : [];
  });
}

/**
 * String literals an expression can evaluate to, not looking inside calls: `t("key")` and any other
 * call are fine, `cond ? "Yes" : "No"` and `` `Hello ${name}` `` are not.
 */
function literalTexts(node: ts.Node): ts.Node[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    return hasLetters(node.text) ? [node] : [];
  if (ts.isTemplateExpression(node)) {
    const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(" ");
    return hasLetters(parts) ? [node] : [];
  }
  if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) return [];
  if (ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node)) return [];
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return [];
  // Comparisons (`a === "ready"`) and property keys only pick, they show nothing.
  if (ts.isBinaryExpression(node) && node.operatorToken.kind !== ts.SyntaxKind.PlusToken) {
    const op = node.operatorToken.kind;
    if (
      op !== ts.SyntaxKind.BarBarToken &&
      op !== ts.SyntaxKind.QuestionQuestionToken &&
      op !== ts.SyntaxKind.AmpersandAmpersandToken
    )
      return [];
  }
  if (ts.isConditionalExpression(node))
    return [...literalTexts(node.whenTrue), ...literalTexts(node.whenFalse)];
  if (ts.isElementAccessExpression(node) || ts.isPropertyAccessExpression(node)) return [];
  const found: ts.Node[] = [];
  node.forEachChild((child) => {
    found.push(...literalTexts(child));
  });
  return found;
}

/** Every user-visible string in a .tsx file that does not go through i18n. */
function offenders(path: string): string[] {
  const source = ts.createSourceFile(
    path,
    readFileSync(path, "utf8"),
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TSX,
  );
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${relative(ROOT, path)}:${line + 1}: ${text.trim().replace(/\s+/g, " ").slice(0, 80)}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && hasLetters(node.text)) report(node, node.text);
    else if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent)) {
      for (const literal of literalTexts(node.expression)) report(literal, literal.getText(source));
    } else if (ts.isJsxAttribute(node) && VISIBLE_PROPS.has(node.name.getText(source)) && node.initializer) {
      const value = ts.isJsxExpression(node.initializer) ? node.initializer.expression : node.initializer;
      for (const literal of value ? literalTexts(value) : [])
        report(literal, `${node.name.getText(source)}=${literal.getText(source)}`);
    } else if (
      ts.isPropertyAssignment(node) &&
      VISIBLE_KEYS.has(node.name.getText(source)) &&
      !ts.isJsxExpression(node.parent.parent)
    ) {
      for (const literal of literalTexts(node.initializer))
        report(literal, `${node.name.getText(source)}: ${literal.getText(source)}`);
    }
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

describe("every visible string goes through i18n", () => {
  it("no .tsx file under apps/web/src shows text that is not a t(...) or <Trans> call", () => {
    const all = tsxFiles(WEB_SRC).flatMap(offenders);
    if (all.length) console.log(`${all.length} untranslated strings:\n${all.join("\n")}`);
    expect(all).toEqual([]);
  });
});
