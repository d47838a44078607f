/** The embeddable player alone (/embed/:videoId). */
export function EmbedPage() {
  return <h1>Embed</h1>;
}
