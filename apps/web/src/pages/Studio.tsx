/** The creator's studio: their videos with live processing progress. */
export function StudioPage() {
  return <h1>Studio</h1>;
}
