import { useId, useState } from "react";

/** The copyable <iframe> snippet for embedding a video on another site. */
export function EmbedSnippet({ videoId, title }: { videoId: string; title: string }) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const safeTitle = title.replace(/[&"<>]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const snippet = `<iframe src="${window.location.origin}/embed/${videoId}" title="${safeTitle}" width="640" height="360" allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopied("yes");
    } catch {
      // No clipboard permission: select the text so Ctrl+C works.
      (document.getElementById(id) as HTMLTextAreaElement | null)?.select();
      setCopied("no");
    }
  }

  return (
    <details className="embed-snippet">
      <summary>Embed</summary>
      <label htmlFor={id}>Embed code</label>
      <textarea id={id} readOnly rows={3} value={snippet} onFocus={(e) => e.currentTarget.select()} />
      <div className="row">
        <button type="button" onClick={copy}>
          Copy
        </button>
        <span role="status">
          {copied === "yes" ? "Copied" : copied === "no" ? "Press Ctrl+C to copy the selected code" : ""}
        </span>
      </div>
    </details>
  );
}
